/**
 * A seeded fuzz engine for the event-stream decoder (issue 6, part 2). It mutates valid Lambda event
 * streams (bit flips, truncation, inserted and deleted bytes, huge declared lengths, header type and
 * length confusion, reordered and foreign messages), feeds each one to `decodeEvents` at random split
 * points, and classifies the outcome. A case passes when it ends in events that an independent
 * reference (whole-buffer framing + `@smithy/eventstream-codec`) agrees with, or in a typed
 * `TaskError`; and when the same bytes in one read give the same outcome.
 *
 * Attacker-driven allocation is watched by a probe on `Uint8Array` construction during each case: the
 * largest buffer the decoder asks for must stay within the message limit it was given.
 */

import { encodeInvokeComplete } from '../../src/emulator/encode-invoke-complete.js';
import { encodePayloadChunk } from '../../src/emulator/encode-payload-chunk.js';
import { isTaskError } from '../../src/errors.js';
import { codecDecodeMessage } from '../../src/eventstream/codec-adapter.js';
import { crc32 } from '../../src/eventstream/crc32.js';
import { decodeEvents } from '../../src/eventstream/decode-events.js';
import { encodeError, encodeException } from '../../src/eventstream/encode-exception.js';
import { encodeMessage } from '../../src/eventstream/encode-message.js';
import type { HeaderValue, MessageHeaders } from '../../src/eventstream/message-types.js';
import type { StreamEvent } from '../../src/eventstream/stream-event.js';
import { LAMBDA_RESPONSE_EVENTS } from './lambda-events.js';

/** mulberry32: small, fast, and good enough to spread mutations; the seed makes every run repeatable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const MUTATIONS = [
  'none',
  'bit-flip',
  'bit-flip-crc-fixed',
  'truncate',
  'insert-bytes',
  'delete-bytes',
  'huge-length',
  'header-type',
  'header-length',
  'reorder-messages',
  'foreign-message',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

/** A stream plus where each of its messages starts. */
interface Stream {
  bytes: Uint8Array;
  offsets: number[];
}

type Outcome = { kind: 'events'; events: string[] } | { kind: 'error'; code: string };

/** One case that broke a rule, with what it takes to reproduce it. */
export interface FuzzFailure {
  index: number;
  mutation: Mutation;
  rule:
    | 'untyped-error'
    | 'hang'
    | 'reference-mismatch'
    | 'split-dependent'
    | 'allocation'
    | 'unmutated-wrong';
  detail: string;
  bytesHex: string;
}

export interface FuzzReport {
  seed: number;
  cases: number;
  maxMessageBytes: number;
  durationMs: number;
  /** `events` or the `StreamError` code, per case. */
  outcomes: Record<string, number>;
  mutations: Record<string, number>;
  /** Cases our decoder refused (STREAM_MALFORMED) that the codec accepted: duplicate or empty header names. */
  stricterThanCodec: number;
  /** Largest single buffer the decoder allocated in any case. */
  maxAllocationBytes: number;
  failures: FuzzFailure[];
  passed: boolean;
}

export interface FuzzOptions {
  seed: number;
  cases: number;
  /** The decoder's message limit during the run (small, so huge lengths cross it often). Default 64 KiB. */
  maxMessageBytes?: number;
  /** Per-case wall-clock bound for the asynchronous part. Default 5 s. */
  caseTimeoutMs?: number;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function int(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Random-looking bytes; long runs repeat a random 61-byte pattern (natively filled) to keep cases cheap. */
function randomBytes(random: () => number, n: number): Uint8Array {
  const head = Math.min(n, 61);
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < head; i++) out[i] = Math.floor(random() * 256);
  if (n > head) out.fill(out.subarray(0, head), head);
  return out;
}

function concat(parts: Uint8Array[]): Stream {
  const offsets: number[] = [];
  let total = 0;
  for (const p of parts) {
    offsets.push(total);
    total += p.length;
  }
  const bytes = new Uint8Array(total);
  for (let i = 0; i < parts.length; i++) bytes.set(parts[i]!, offsets[i]!);
  return { bytes, offsets };
}

function randomHeaderValue(random: () => number): HeaderValue {
  switch (int(random, 0, 8)) {
    case 0:
      return { type: 'boolean', value: random() < 0.5 };
    case 1:
      return { type: 'byte', value: int(random, -128, 127) };
    case 2:
      return { type: 'short', value: int(random, -32768, 32767) };
    case 3:
      return { type: 'integer', value: int(random, -2147483648, 2147483647) };
    case 4:
      return { type: 'long', value: BigInt(int(random, -1e9, 1e9)) * 1000003n };
    case 5:
      return { type: 'binary', value: randomBytes(random, int(random, 0, 40)) };
    case 6:
      return { type: 'timestamp', value: new Date(int(random, 0, 2e12)) };
    case 7:
      return { type: 'uuid', value: '01234567-89ab-cdef-0123-456789abcdef' };
    default:
      return {
        type: 'string',
        value: pick(random, ['event', 'exception', 'error', 'PayloadChunk', 'InvokeComplete', 'x']),
      };
  }
}

function foreignMessage(random: () => number): Uint8Array {
  const headers: MessageHeaders = {};
  const names = [':message-type', ':event-type', ':exception-type', ':error-code', ':content-type', 'other'];
  for (let i = int(random, 0, 4); i > 0; i--) headers[pick(random, names)] = randomHeaderValue(random);
  return encodeMessage({ headers, body: randomBytes(random, int(random, 0, 64)) });
}

/** A valid Lambda response (sometimes ending in an exception, an error or nothing), message by message. */
function baseStream(random: () => number): Uint8Array[] {
  const messages: Uint8Array[] = [];
  const chunks = int(random, 0, 12);
  for (let i = 0; i < chunks; i++) {
    const size = random() < 0.05 ? int(random, 1000, 9000) : int(random, 0, 200);
    messages.push(encodePayloadChunk(randomBytes(random, size)));
    if (random() < 0.05)
      messages.push(
        encodeMessage({
          headers: {
            ':message-type': { type: 'string', value: 'event' },
            ':event-type': { type: 'string', value: 'Future' },
          },
          body: randomBytes(random, 8),
        }),
      );
  }
  const end = random();
  if (end < 0.75) {
    const fields: { ErrorCode?: string; ErrorDetails?: string; LogResult?: string } = {};
    if (random() < 0.3) fields.ErrorCode = 'Unhandled';
    if (random() < 0.3) fields.ErrorDetails = 'details';
    if (random() < 0.3) fields.LogResult = Buffer.from('log').toString('base64');
    messages.push(encodeInvokeComplete(fields));
  } else if (end < 0.85) {
    messages.push(encodeException('ServiceException', '{"message":"boom"}'));
  } else if (end < 0.9) {
    messages.push(encodeError('InternalFailure', 'later'));
  }
  return messages;
}

function writeUint32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value >>> 24;
  bytes[at + 1] = (value >>> 16) & 0xff;
  bytes[at + 2] = (value >>> 8) & 0xff;
  bytes[at + 3] = value & 0xff;
}

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

/** Recomputes both CRCs of the (intact-length) message at `at`, so a mutation inside it reaches the parser. */
function fixCrcs(bytes: Uint8Array, at: number): void {
  const total = readUint32(bytes, at);
  writeUint32(bytes, at + 8, crc32(bytes.subarray(at, at + 8)));
  if (at + total <= bytes.length && total >= 16)
    writeUint32(bytes, at + total - 4, crc32(bytes.subarray(at, at + total - 4)));
}

/** Offsets of the type bytes and length fields of the headers of the message at `at`. */
function headerFields(bytes: Uint8Array, at: number): { types: number[]; lengths: number[] } {
  const types: number[] = [];
  const lengths: number[] = [at];
  const end = at + 12 + readUint32(bytes, at + 4);
  let p = at + 12;
  while (p < end) {
    lengths.push(p);
    p += 1 + bytes[p]!;
    types.push(p);
    const type = bytes[p]!;
    p += 1;
    const fixed = [0, 0, 1, 2, 4, 8, -1, -1, 8, 16][type];
    if (fixed === undefined) break;
    if (fixed < 0) {
      lengths.push(p);
      p += 2 + ((bytes[p]! << 8) | bytes[p + 1]!);
    } else {
      p += fixed;
    }
  }
  return { types, lengths };
}

function mutate(random: () => number, mutation: Mutation, messages: Uint8Array[], limit: number): Uint8Array {
  if (mutation === 'reorder-messages') {
    const copy = [...messages];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = int(random, 0, i);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return concat(copy).bytes;
  }
  if (mutation === 'foreign-message') {
    const copy = [...messages];
    copy.splice(int(random, 0, copy.length), 0, foreignMessage(random));
    return concat(copy).bytes;
  }
  const { bytes, offsets } = concat(messages);
  if (bytes.length === 0 || mutation === 'none') return bytes;
  const target = offsets.length > 0 ? pick(random, offsets) : 0;
  switch (mutation) {
    case 'bit-flip': {
      for (let n = int(random, 1, 3); n > 0; n--) {
        const at = int(random, 0, bytes.length - 1);
        bytes[at] = bytes[at]! ^ (1 << int(random, 0, 7));
      }
      return bytes;
    }
    case 'bit-flip-crc-fixed': {
      const total = readUint32(bytes, target);
      const at = target + int(random, 12, Math.max(12, total - 5));
      bytes[at] = bytes[at]! ^ (1 << int(random, 0, 7));
      fixCrcs(bytes, target);
      return bytes;
    }
    case 'truncate':
      return bytes.subarray(0, int(random, 0, bytes.length - 1));
    case 'insert-bytes': {
      const at = int(random, 0, bytes.length);
      const extra = randomBytes(random, int(random, 1, 16));
      return concat([bytes.subarray(0, at), extra, bytes.subarray(at)]).bytes;
    }
    case 'delete-bytes': {
      const at = int(random, 0, bytes.length - 1);
      return concat([bytes.subarray(0, at), bytes.subarray(at + int(random, 1, 16))]).bytes;
    }
    case 'huge-length': {
      const choice = random();
      const declared =
        choice < 0.4
          ? int(random, limit + 1, 0xffffffff)
          : choice < 0.6
            ? 0x80000000 + int(random, 0, 0x7fffffff)
            : choice < 0.8
              ? int(random, 0, 15)
              : int(random, 16, limit);
      writeUint32(bytes, target, declared >>> 0);
      if (random() < 0.7) writeUint32(bytes, target + 8, crc32(bytes.subarray(target, target + 8)));
      return bytes;
    }
    case 'header-type': {
      const { types } = headerFields(bytes, target);
      if (types.length === 0) return bytes;
      const at = pick(random, types);
      bytes[at] = random() < 0.5 ? int(random, 10, 255) : int(random, 0, 9);
      fixCrcs(bytes, target);
      return bytes;
    }
    case 'header-length': {
      const { lengths } = headerFields(bytes, target);
      const at = pick(random, lengths);
      if (at === target) {
        writeUint32(bytes, target + 4, int(random, 0, readUint32(bytes, target)));
      } else {
        bytes[at] = int(random, 0, 255);
      }
      fixCrcs(bytes, target);
      return bytes;
    }
  }
  return bytes;
}

function eventKey(event: StreamEvent): string {
  return event.kind === 'chunk' ? `chunk:${hex(event.payload)}` : `complete:${JSON.stringify(event)}`;
}

/**
 * The reference: frame the whole buffer by hand, decode each message with @smithy/eventstream-codec,
 * dispatch on :message-type as wire-format §2.2 says. Independent of the code under test.
 */
function reference(bytes: Uint8Array, limit: number): Outcome {
  const events: string[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < 12) return { kind: 'error', code: 'STREAM_TRUNCATED' };
    const total = readUint32(bytes, at);
    if (crc32(bytes.subarray(at, at + 8)) !== readUint32(bytes, at + 8))
      return { kind: 'error', code: 'STREAM_CHECKSUM' };
    if (total < 16 || total > limit) return { kind: 'error', code: 'STREAM_MALFORMED' };
    if (bytes.length - at < total) return { kind: 'error', code: 'STREAM_TRUNCATED' };
    let message: ReturnType<typeof codecDecodeMessage>;
    try {
      message = codecDecodeMessage(bytes.subarray(at, at + total));
    } catch (error) {
      return { kind: 'error', code: isTaskError(error) ? error.code : 'UNTYPED' };
    }
    at += total;
    const str = (name: string) => {
      const h = message.headers[name];
      return h?.type === 'string' ? h.value : undefined;
    };
    const messageType = str(':message-type');
    if (messageType === 'exception' || messageType === 'error')
      return { kind: 'error', code: 'STREAM_EXCEPTION' };
    if (messageType !== 'event') return { kind: 'error', code: 'STREAM_MALFORMED' };
    const eventType = str(':event-type');
    if (eventType === 'PayloadChunk') events.push(`chunk:${hex(message.body)}`);
    if (eventType === 'InvokeComplete') {
      let fields: unknown = {};
      if (message.body.length > 0) {
        try {
          fields = JSON.parse(Buffer.from(message.body).toString('utf8'));
        } catch {
          return { kind: 'error', code: 'STREAM_MALFORMED' };
        }
      }
      if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
        return { kind: 'error', code: 'STREAM_MALFORMED' };
      }
      const f = fields as Record<string, unknown>;
      const complete: StreamEvent = { kind: 'complete' };
      if (typeof f.ErrorCode === 'string') complete.errorCode = f.ErrorCode;
      if (typeof f.ErrorDetails === 'string') complete.errorDetails = f.ErrorDetails;
      if (typeof f.LogResult === 'string') complete.logResult = f.LogResult;
      events.push(eventKey(complete));
      return { kind: 'events', events };
    }
  }
  return { kind: 'error', code: 'STREAM_INCOMPLETE' };
}

/**
 * Watches buffer allocations while `run` is pending (`new Uint8Array(n)` and `Buffer.allocUnsafe(n)`,
 * the two ways the decoder can allocate by size); returns the largest size requested.
 */
async function withAllocationProbe<T>(run: () => Promise<T>): Promise<{ value: T; maxBytes: number }> {
  const original = globalThis.Uint8Array;
  const originalAllocUnsafe = Buffer.allocUnsafe;
  let maxBytes = 0;
  const probe: Uint8ArrayConstructor = new Proxy(original, {
    construct(target, args, newTarget): object {
      const first: unknown = args[0];
      if (typeof first === 'number' && first > maxBytes) maxBytes = first;
      return Reflect.construct(target, args, newTarget === probe ? target : newTarget) as object;
    },
  });
  globalThis.Uint8Array = probe;
  Buffer.allocUnsafe = (size: number) => {
    if (size > maxBytes) maxBytes = size;
    return originalAllocUnsafe(size);
  };
  try {
    return { value: await run(), maxBytes };
  } finally {
    globalThis.Uint8Array = original;
    Buffer.allocUnsafe = originalAllocUnsafe;
  }
}

async function decodeOnce(
  reads: Uint8Array[],
  limit: number,
  timeoutMs: number,
): Promise<Outcome | { kind: 'untyped'; detail: string } | { kind: 'hang' }> {
  const totalBytes = reads.reduce((n, r) => n + r.length, 0);
  // Step bound: no honest decoder produces more messages than there are 16-byte slots in the input.
  const maxMessages = Math.floor(totalBytes / 16) + 1;
  let messages = 0;
  async function* source(): AsyncIterable<Uint8Array> {
    for (const read of reads) yield read;
  }
  const work = (async (): Promise<Outcome | { kind: 'untyped'; detail: string }> => {
    const events: string[] = [];
    try {
      const options = {
        maxMessageBytes: limit,
        onMessage: () => {
          messages += 1;
          if (messages > maxMessages)
            throw new RangeError('step bound exceeded: more messages than input allows');
        },
      };
      for await (const event of decodeEvents(source(), LAMBDA_RESPONSE_EVENTS, options))
        events.push(eventKey(event));
      return { kind: 'events', events };
    } catch (error) {
      if (isTaskError(error)) return { kind: 'error', code: error.code };
      return {
        kind: 'untyped',
        detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      };
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<{ kind: 'hang' }>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'hang' }), timeoutMs);
  });
  try {
    return await Promise.race([work, hang]);
  } finally {
    clearTimeout(timer);
  }
}

function randomSplit(random: () => number, bytes: Uint8Array): Uint8Array[] {
  const reads: Uint8Array[] = [];
  const style = random();
  let at = 0;
  while (at < bytes.length) {
    // Byte-sized reads are the hardest case for the framer; they are kept to short streams for speed.
    const tiny = style < 0.2 && bytes.length <= 2048;
    const size = tiny ? int(random, 1, 3) : style < 0.7 ? int(random, 1, 64) : int(random, 1, 4096);
    reads.push(bytes.subarray(at, at + size));
    at += size;
  }
  return reads;
}

const same = (a: Outcome, b: Outcome) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Runs `cases` seeded cases and returns the figures. Deterministic for a given seed.
 * @example
 * const report = await runDecoderFuzz({ seed: 1, cases: 1000 });
 * if (!report.passed) console.error(report.failures);
 */
export async function runDecoderFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const random = seededRandom(options.seed);
  const limit = options.maxMessageBytes ?? 64 * 1024;
  const timeoutMs = options.caseTimeoutMs ?? 5000;
  const report: FuzzReport = {
    seed: options.seed,
    cases: options.cases,
    maxMessageBytes: limit,
    durationMs: 0,
    outcomes: {},
    mutations: {},
    stricterThanCodec: 0,
    maxAllocationBytes: 0,
    failures: [],
    passed: true,
  };
  const started = Date.now();
  const fail = (failure: FuzzFailure) => {
    report.passed = false;
    if (report.failures.length < 20) report.failures.push(failure);
  };
  for (let index = 0; index < options.cases; index++) {
    const mutation = MUTATIONS[index % MUTATIONS.length]!;
    const messages = baseStream(random);
    const bytes = mutate(random, mutation, messages, limit);
    const bytesHex = bytes.length <= 4096 ? hex(bytes) : `${hex(bytes.subarray(0, 4096))}…`;
    report.mutations[mutation] = (report.mutations[mutation] ?? 0) + 1;

    const { value: split, maxBytes } = await withAllocationProbe(() =>
      decodeOnce(randomSplit(random, bytes), limit, timeoutMs),
    );
    report.maxAllocationBytes = Math.max(report.maxAllocationBytes, maxBytes);
    if (maxBytes > limit) {
      fail({
        index,
        mutation,
        rule: 'allocation',
        detail: `allocated ${maxBytes} bytes with a ${limit}-byte limit`,
        bytesHex,
      });
    }
    if (split.kind === 'untyped' || split.kind === 'hang') {
      report.outcomes[split.kind] = (report.outcomes[split.kind] ?? 0) + 1;
      fail({
        index,
        mutation,
        rule: split.kind === 'hang' ? 'hang' : 'untyped-error',
        detail: 'detail' in split ? split.detail : 'timed out',
        bytesHex,
      });
      continue;
    }
    const outcomeKey = split.kind === 'events' ? 'events' : split.code;
    report.outcomes[outcomeKey] = (report.outcomes[outcomeKey] ?? 0) + 1;

    const whole = await decodeOnce([bytes], limit, timeoutMs);
    if (JSON.stringify(whole) !== JSON.stringify(split)) {
      fail({
        index,
        mutation,
        rule: 'split-dependent',
        detail: `split ${JSON.stringify(split).slice(0, 200)} vs whole ${JSON.stringify(whole).slice(0, 200)}`,
        bytesHex,
      });
    }
    const expected = reference(bytes, limit);
    if (split.kind === 'events') {
      if (!same(split, expected)) {
        fail({
          index,
          mutation,
          rule: 'reference-mismatch',
          detail: `ours ${JSON.stringify(split).slice(0, 200)} vs reference ${JSON.stringify(expected).slice(0, 200)}`,
          bytesHex,
        });
      }
    } else if (expected.kind === 'events') {
      if (split.code === 'STREAM_MALFORMED') report.stricterThanCodec += 1;
      else
        fail({
          index,
          mutation,
          rule: 'reference-mismatch',
          detail: `ours ${split.code} vs reference events`,
          bytesHex,
        });
    }
    if (mutation === 'none') {
      const truth = reference(concat(messages).bytes, limit);
      if (!same(split, truth))
        fail({
          index,
          mutation,
          rule: 'unmutated-wrong',
          detail: JSON.stringify(split).slice(0, 200),
          bytesHex,
        });
    }
  }
  report.durationMs = Date.now() - started;
  return report;
}
