import { StreamError } from '../errors.js';
import { crc32, crc32Range } from './crc32.js';
import { checkPrelude } from './message-framer.js';
import type { EventStreamMessage, HeaderValue, MessageHeaders } from './message-types.js';
import { MESSAGE_OVERHEAD_BYTES, PRELUDE_BYTES } from './message-types.js';

const utf8 = new TextDecoder();

/** Below this size a JavaScript CRC beats the fixed cost of a native call. */
const SMALL_MESSAGE_BYTES = 128;

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

/**
 * A small direct-mapped cache of recently decoded short strings. Header names and Lambda's header values
 * repeat in every message, so most lookups hit and no string is built; a miss replaces the slot, so a
 * hostile stream can only make the cache useless, never large.
 */
const INTERN_MAX_BYTES = 32;
const INTERN_SLOTS = 256;
const internBytes: Array<Uint8Array | undefined> = new Array<Uint8Array | undefined>(INTERN_SLOTS).fill(
  undefined,
);
const internText: string[] = new Array<string>(INTERN_SLOTS).fill('');

function decodeText(bytes: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length > INTERN_MAX_BYTES) return utf8.decode(bytes.subarray(start, end));
  let hash = length;
  let ascii = true;
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    hash = (Math.imul(hash, 31) + c) | 0;
    if (c > 0x7f) ascii = false;
  }
  const slot = hash & (INTERN_SLOTS - 1);
  const cached = internBytes[slot];
  if (cached !== undefined && cached.length === length) {
    let same = true;
    for (let i = 0; i < length; i++) {
      if (cached[i] !== bytes[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return internText[slot]!;
  }
  let text = '';
  if (ascii) for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]!);
  else text = utf8.decode(bytes.subarray(start, end));
  internBytes[slot] = bytes.slice(start, end);
  internText[slot] = text;
  return text;
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function formatUuid(bytes: Uint8Array, at: number): string {
  let hex = '';
  for (let i = 0; i < 16; i++) {
    hex += HEX[bytes[at + i]!];
    if (i === 3 || i === 5 || i === 7 || i === 9) hex += '-';
  }
  return hex;
}

function malformed(message: string, details: Record<string, unknown>): StreamError {
  return new StreamError('STREAM_MALFORMED', message, { details });
}

/** Fixed value sizes per wire type (wire-format §3.2); -1 = uint16 length prefix + bytes. */
const VALUE_BYTES: readonly number[] = [0, 0, 1, 2, 4, 8, -1, -1, 8, 16];

/**
 * Parses the header block `bytes[start, end)` into a map with no prototype.
 * Unknown type tags, values running past the block, empty or duplicate names are `STREAM_MALFORMED`
 * (a repeated `:message-type` could otherwise change how a message is read).
 */
export function decodeHeaders(bytes: Uint8Array, start: number, end: number): MessageHeaders {
  const headers: MessageHeaders = Object.create(null) as MessageHeaders;
  let p = start;
  while (p < end) {
    const nameLength = bytes[p]!;
    p += 1;
    if (nameLength === 0 || p + nameLength + 1 > end) {
      throw malformed('Event-stream header name is empty or runs past the header block', { offset: p - 1 });
    }
    const name = decodeText(bytes, p, p + nameLength);
    p += nameLength;
    const type = bytes[p]!;
    p += 1;
    const size = VALUE_BYTES[type];
    if (size === undefined) {
      throw malformed(`Event-stream header "${name}" has unknown type tag ${type}`, { header: name, type });
    }
    let valueLength = size;
    let valueStart = p;
    if (size < 0) {
      if (p + 2 > end)
        throw malformed(`Event-stream header "${name}" runs past the header block`, { header: name });
      valueLength = (bytes[p]! << 8) | bytes[p + 1]!;
      valueStart = p + 2;
    }
    const valueEnd = valueStart + valueLength;
    if (valueEnd > end)
      throw malformed(`Event-stream header "${name}" runs past the header block`, { header: name });
    let value: HeaderValue;
    switch (type) {
      case 0:
        value = { type: 'boolean', value: true };
        break;
      case 1:
        value = { type: 'boolean', value: false };
        break;
      case 2:
        value = { type: 'byte', value: (bytes[p]! << 24) >> 24 };
        break;
      case 3:
        value = { type: 'short', value: (((bytes[p]! << 8) | bytes[p + 1]!) << 16) >> 16 };
        break;
      case 4:
        value = { type: 'integer', value: readUint32(bytes, p) | 0 };
        break;
      case 5:
        value = {
          type: 'long',
          value: BigInt.asIntN(64, (BigInt(readUint32(bytes, p)) << 32n) | BigInt(readUint32(bytes, p + 4))),
        };
        break;
      case 6:
        value = { type: 'binary', value: bytes.subarray(valueStart, valueEnd) };
        break;
      case 7:
        value = { type: 'string', value: decodeText(bytes, valueStart, valueEnd) };
        break;
      case 8:
        value = {
          type: 'timestamp',
          value: new Date((readUint32(bytes, p) | 0) * 4294967296 + readUint32(bytes, p + 4)),
        };
        break;
      default:
        value = { type: 'uuid', value: formatUuid(bytes, p) };
        break;
    }
    if (headers[name] !== undefined) {
      throw malformed(`Event-stream header "${name}" appears twice in one message`, { header: name });
    }
    headers[name] = value;
    p = valueEnd;
  }
  return headers;
}

/**
 * Decodes one whole event-stream message: checks the prelude CRC, the declared sizes and the message
 * CRC (with native `zlib.crc32`), then parses the headers. The body is a view of `frame`, not a copy.
 *
 * Throws `StreamError`: `STREAM_CHECKSUM` on a CRC mismatch, `STREAM_MALFORMED` on a bad length,
 * an unknown header type or a malformed header block.
 * @example
 * const { headers, body } = decodeMessage(frame);
 * headers[':message-type']; // { type: 'string', value: 'event' }
 */
export function decodeMessage(frame: Uint8Array): EventStreamMessage {
  return decodeFrame(frame, false);
}

/** Header blocks larger than this are not remembered (Lambda's are under 100 bytes). */
const MAX_CACHED_HEADER_BLOCK = 1024;

function sameBytes(kept: Uint8Array | undefined, frame: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  if (kept === undefined || kept.length !== length) return false;
  let i = 0;
  while (i < length && kept[i] === frame[start + i]) i++;
  return i === length;
}

/**
 * Remembers the header block of a stream's messages and its decoded map. Every PayloadChunk of a
 * response carries the same header bytes, so comparing bytes replaces parsing them. A block is only
 * kept as a shared (frozen) map once it has come twice: a short response, whose messages all differ,
 * pays for one plain parse per message and no copy or freeze. One per stream (no state shared
 * between calls).
 * @internal
 */
export class HeaderBlockCache {
  /** The last block seen once, not yet shared. */
  private seen: Uint8Array | undefined;
  private bytes: Uint8Array | undefined;
  private headers: MessageHeaders | undefined;

  /** The headers of `frame[start, end)`; a map that is handed out again is frozen, as it is shared. */
  decode(frame: Uint8Array, start: number, end: number): MessageHeaders {
    if (sameBytes(this.bytes, frame, start, end)) return this.headers!;
    const length = end - start;
    if (length > MAX_CACHED_HEADER_BLOCK) return decodeHeaders(frame, start, end);
    if (!sameBytes(this.seen, frame, start, end)) {
      this.seen = frame.slice(start, end);
      return decodeHeaders(frame, start, end);
    }
    // Second sight: decode the private copy (binary values are views, and the map kept for later
    // messages must not look into this frame, whose buffer the caller may reuse). It cannot fail.
    const bytes = this.seen!;
    const headers = decodeHeaders(bytes, 0, length);
    for (const value of Object.values(headers)) Object.freeze(value);
    Object.freeze(headers);
    this.bytes = bytes;
    this.headers = headers;
    this.seen = undefined;
    return headers;
  }
}

/**
 * {@link decodeMessage} for a frame whose prelude the framer has already checked (`preludeChecked`),
 * which saves one CRC per message on the streaming path, optionally with a {@link HeaderBlockCache}.
 * @internal
 */
export function decodeFrame(
  frame: Uint8Array,
  preludeChecked: boolean,
  cache?: HeaderBlockCache,
): EventStreamMessage {
  const length = frame.length;
  if (length < MESSAGE_OVERHEAD_BYTES) {
    throw malformed(`An event-stream message needs at least 16 bytes, got ${length}`, { length });
  }
  const total = preludeChecked ? readUint32(frame, 0) : checkPrelude(frame, 0, 0xffffffff);
  if (total !== length) {
    throw malformed(`Event-stream message declares ${total} bytes but the frame has ${length}`, {
      declaredLength: total,
      length,
    });
  }
  const expected = readUint32(frame, length - 4);
  const actual =
    length <= SMALL_MESSAGE_BYTES ? crc32Range(frame, 0, length - 4) : crc32(frame.subarray(0, length - 4));
  if (actual !== expected) {
    throw new StreamError(
      'STREAM_CHECKSUM',
      'Event-stream message checksum mismatch: the stream is corrupt',
      {
        retryable: true,
        details: { check: 'message' },
      },
    );
  }
  const headersEnd = PRELUDE_BYTES + readUint32(frame, 4);
  return {
    headers:
      cache === undefined
        ? decodeHeaders(frame, PRELUDE_BYTES, headersEnd)
        : cache.decode(frame, PRELUDE_BYTES, headersEnd),
    body: frame.subarray(headersEnd, length - 4),
  };
}
