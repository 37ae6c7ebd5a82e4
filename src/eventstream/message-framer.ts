import { InputError, StreamError } from '../errors.js';
import { crc32Range } from './crc32.js';
import { DEFAULT_MAX_MESSAGE_BYTES, MESSAGE_OVERHEAD_BYTES, PRELUDE_BYTES } from './message-types.js';

const EMPTY = new Uint8Array(0);

/**
 * Past this many pieces of one pending message, the framer switches from collecting read views to
 * filling one buffer of the (already CRC-checked, bounded) declared size, so a peer that trickles a
 * large message a few bytes per read costs one buffer, not millions of tiny views.
 */
const MAX_PENDING_PARTS = 32;

/**
 * A buffer for a message that spans reads. Every byte of it is overwritten before it is handed out,
 * so the zero-fill of `new Uint8Array(n)` would be wasted work; returned as a plain Uint8Array view
 * so that every frame has the same type. `n` is never above the (checked) declared length.
 */
function allocateFrame(n: number): Uint8Array {
  const buffer = Buffer.allocUnsafe(n);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, n);
}

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

/**
 * Checks a 12-byte prelude at `at`: its CRC first (a corrupt length is reported as corruption, and is
 * caught before anything waits for or allocates a bogus size), then the declared sizes.
 * @returns the declared total length of the message
 */
export function checkPrelude(bytes: Uint8Array, at: number, maxMessageBytes: number): number {
  const expected = readUint32(bytes, at + 8);
  const actual = crc32Range(bytes, at, at + 8);
  if (actual !== expected) {
    throw new StreamError(
      'STREAM_CHECKSUM',
      'Event-stream prelude checksum mismatch: the stream is corrupt',
      {
        retryable: true,
        details: { check: 'prelude' },
      },
    );
  }
  const total = readUint32(bytes, at);
  if (total < MESSAGE_OVERHEAD_BYTES || total > maxMessageBytes) {
    throw new StreamError(
      'STREAM_MALFORMED',
      `Event-stream message declares ${total} bytes; the allowed range is ${MESSAGE_OVERHEAD_BYTES}–${maxMessageBytes}`,
      { details: { declaredLength: total, maxMessageBytes } },
    );
  }
  const headersLength = readUint32(bytes, at + 4);
  if (headersLength > total - MESSAGE_OVERHEAD_BYTES) {
    throw new StreamError(
      'STREAM_MALFORMED',
      `Event-stream message declares ${headersLength} header bytes in a ${total}-byte message`,
      { details: { declaredLength: total, headersLength } },
    );
  }
  return total;
}

/**
 * Checks the `maxMessageBytes` option: an integer from 16 up to 2^32 − 1 (the length field is a uint32).
 * @returns the limit to use
 */
export function resolveMaxMessageBytes(maxMessageBytes: number | undefined): number {
  if (maxMessageBytes === undefined) return DEFAULT_MAX_MESSAGE_BYTES;
  if (
    !Number.isInteger(maxMessageBytes) ||
    maxMessageBytes < MESSAGE_OVERHEAD_BYTES ||
    maxMessageBytes > 0xffffffff
  ) {
    const message = `maxMessageBytes must be an integer from ${MESSAGE_OVERHEAD_BYTES} to 4294967295, got ${String(maxMessageBytes)}`;
    throw new InputError('INVALID_INPUT', message, [
      { location: 'input', path: 'maxMessageBytes', keyword: 'range', message },
    ]);
  }
  return maxMessageBytes;
}

/**
 * The synchronous core of framing: `push()` one read, then call `next()` until it returns `undefined`.
 * A message lying wholly inside one read is returned as a view of that read (no copy); one that spans
 * reads is copied once into a buffer of exactly its size. Reads must not be mutated after they are
 * pushed (Node's streams hand out fresh buffers, so this holds for sockets and files).
 *
 * Kept synchronous so `EventDecoder` can frame, decode and dispatch every message of a read without an
 * async hop per message.
 * @example
 * const framer = new MessageFramer();
 * framer.push(read);
 * for (let m = framer.next(); m !== undefined; m = framer.next()) handle(m);
 * framer.finish(); // at end of input: throws STREAM_TRUNCATED if a message was cut off
 */
export class MessageFramer {
  private readonly maxMessageBytes: number;
  private chunk: Uint8Array = EMPTY;
  private pos = 0;
  /** Views of the reads that hold the start of a message spanning reads. */
  private parts: Uint8Array[] = [];
  /** Bytes of the pending message held in `parts` or `fill`. */
  private pending = 0;
  /** Declared length of the pending message once its prelude is known, else 0. */
  private need = 0;
  private fill: Uint8Array | undefined;
  private readonly scratch = new Uint8Array(PRELUDE_BYTES);
  /** @param maxMessageBytes the largest message accepted (default 24 MiB) */
  constructor(maxMessageBytes?: number) {
    this.maxMessageBytes = resolveMaxMessageBytes(maxMessageBytes);
  }

  /** Hands the framer the next read. */
  push(chunk: Uint8Array): void {
    if (typeof chunk === 'string' || !(chunk instanceof Uint8Array)) {
      throw new StreamError('STREAM_MALFORMED', 'The event stream must be read as bytes, not text', {
        details: { chunkType: typeof chunk },
      });
    }
    // Views of a plain Uint8Array are created natively; views of a Buffer go through Buffer's species
    // constructor, which costs more than the rest of the per-message work. The bytes are not copied.
    const view =
      chunk.constructor === Uint8Array
        ? chunk
        : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const rest = this.chunk.length - this.pos;
    if (rest > 0) {
      // The caller pushed before draining: keep the unread bytes in front (a copy, off the fast path).
      const joined = new Uint8Array(rest + view.length);
      joined.set(this.chunk.subarray(this.pos), 0);
      joined.set(view, rest);
      this.chunk = joined;
    } else {
      this.chunk = view;
    }
    this.pos = 0;
  }

  /** The next whole message, or `undefined` when more input is needed. */
  next(): Uint8Array | undefined {
    const chunk = this.chunk;
    const pos = this.pos;
    const avail = chunk.length - pos;
    if (avail === 0) return undefined;
    if (this.pending === 0) {
      if (avail >= PRELUDE_BYTES) {
        const total = checkPrelude(chunk, pos, this.maxMessageBytes);
        if (avail >= total) {
          this.pos = pos + total;
          return chunk.subarray(pos, pos + total);
        }
        this.need = total;
      }
      this.stash(chunk.subarray(pos));
      this.pos = chunk.length;
      return undefined;
    }
    if (this.need === 0) {
      if (this.pending + avail < PRELUDE_BYTES) {
        this.stash(chunk.subarray(pos));
        this.pos = chunk.length;
        return undefined;
      }
      this.need = checkPrelude(this.assemblePrelude(chunk, pos), 0, this.maxMessageBytes);
    }
    const missing = this.need - this.pending;
    if (avail < missing) {
      this.stash(chunk.subarray(pos));
      this.pos = chunk.length;
      return undefined;
    }
    let out = this.fill;
    if (out === undefined) {
      out = allocateFrame(this.need);
      let at = 0;
      for (const part of this.parts) {
        out.set(part, at);
        at += part.length;
      }
    }
    out.set(chunk.subarray(pos, pos + missing), this.pending);
    this.pos = pos + missing;
    this.parts = [];
    this.pending = 0;
    this.need = 0;
    this.fill = undefined;
    return out;
  }

  /** Bytes received but not yet returned as a whole message. */
  get bufferedBytes(): number {
    return this.pending + (this.chunk.length - this.pos);
  }

  /** Call at the end of input: a message cut off part-way is an error, never a silent end. */
  finish(): void {
    const buffered = this.bufferedBytes;
    if (buffered > 0) {
      throw new StreamError(
        'STREAM_TRUNCATED',
        `The event stream ended inside a message (${buffered} bytes of ${this.need > 0 ? this.need : 'an unknown number of'} received)`,
        {
          retryable: true,
          details: { receivedBytes: buffered, ...(this.need > 0 ? { declaredLength: this.need } : {}) },
        },
      );
    }
  }

  private stash(bytes: Uint8Array): void {
    if (this.fill !== undefined) {
      this.fill.set(bytes, this.pending);
    } else {
      this.parts.push(bytes);
      if (this.need > 0 && this.parts.length > MAX_PENDING_PARTS) {
        const fill = allocateFrame(this.need);
        let at = 0;
        for (const part of this.parts) {
          fill.set(part, at);
          at += part.length;
        }
        this.fill = fill;
        this.parts = [];
      }
    }
    this.pending += bytes.length;
  }

  /** The first 12 bytes of the pending message, gathered from the stashed views and the current read. */
  private assemblePrelude(chunk: Uint8Array, pos: number): Uint8Array {
    const scratch = this.scratch;
    let at = 0;
    for (const part of this.parts) {
      const take = Math.min(part.length, PRELUDE_BYTES - at);
      scratch.set(part.subarray(0, take), at);
      at += take;
      if (at === PRELUDE_BYTES) return scratch;
    }
    scratch.set(chunk.subarray(pos, pos + (PRELUDE_BYTES - at)), at);
    return scratch;
  }
}
