import { isAscii } from 'node:buffer';
import { createHash, type Hash, randomUUID } from 'node:crypto';
import { type FileHandle, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { OutputError } from '../errors.js';

/** Default cap of an aggregated payload held in memory. */
export const DEFAULT_MAX_AGGREGATED_BYTES = 20 * 1024 * 1024;

/**
 * Pieces are copied into one buffer of this size, which is turned into text (or written to the spill
 * file) whenever it fills: one decoder call or one write per MiB however small the chunks are, and no
 * socket read is kept alive by a view into it. A multiple of 3, so base64 pieces join without padding.
 */
const ARENA_BYTES = 3 * 349_525;

/**
 * The first buffer is small and each one filled doubles the next, up to ARENA_BYTES: a 100-byte
 * payload must not cost a 1 MiB allocation (outside the JS heap, it made the garbage collector run
 * full collections on a stream of small calls). Multiples of 3 too.
 */
const FIRST_ARENA_BYTES = 3 * 4096;

/** The aggregated payload as the result carries it. */
export interface CollectedPayload {
  payload?: unknown;
  payloadEncoding: 'json' | 'utf8' | 'base64' | 'bytes' | 'none';
  spill?: { path: string; bytes: number; sha256: string };
}

export interface PayloadCollectorOptions {
  maxBytes: number;
  encoding: 'utf8' | 'base64' | 'bytes';
  /** Write the payload to a file here instead of holding it. */
  spillDirectory?: string | undefined;
}

/** Bytes JSON allows before a value (RFC 8259 §2). */
function isJsonWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/** Bytes a JSON text can start with: `{ [ " -`, a digit, or `t f n` (true, false, null). */
const JSON_STARTS = new Set([0x7b, 0x5b, 0x22, 0x2d, 0x74, 0x66, 0x6e]);
function startsJson(byte: number): boolean {
  return JSON_STARTS.has(byte) || (byte >= 0x30 && byte <= 0x39);
}

function tooLarge(maxBytes: number, why: string, cause?: unknown): OutputError {
  return new OutputError(
    'OUTPUT_TOO_LARGE',
    `The payload exceeds ${why}; raise the limit, set settings.spillDirectory, or use chunked output`,
    { details: { maxAggregatedBytes: maxBytes }, ...(cause === undefined ? {} : { cause }) },
  );
}

/**
 * Collects an aggregated payload under a byte cap that ends the call with `OUTPUT_TOO_LARGE`; or,
 * with a spill directory, streams it to a file with its SHA-256, so payloads of hundreds of MB never
 * sit in memory. In memory the payload is built as text while it arrives (UTF-8 decoded, or base64
 * in 3-byte-aligned pieces) through one reused 1 MiB buffer, so the peak is about the text itself
 * rather than the reads, their concatenation and the text together. Parsed as JSON at the end when its
 * first non-whitespace byte can start JSON and it parses; invalid UTF-8 becomes U+FFFD, exactly as
 * decoding the whole payload at once would.
 * @example
 * const c = new PayloadCollector({ maxBytes: 1 << 20, encoding: 'utf8' });
 * const wait = c.push(bytes); if (wait) await wait;
 * const { payload, payloadEncoding } = await c.finish();
 */
export class PayloadCollector {
  private size = 0;
  private arena: Buffer | undefined;
  /** The size of the next arena to allocate. */
  private arenaSize = FIRST_ARENA_BYTES;
  private used = 0;
  /** The payload so far as text (memory mode), not counting what is in the arena. */
  private text = '';
  /** `bytes` encoding: the filled arenas, joined once at the end (no text is built). */
  private filled: Buffer[] = [];
  private readonly decoder = new StringDecoder('utf8');
  /** The decoder holds no partial character (the last bytes it was given ended with an ASCII byte). */
  private decoderIdle = true;
  /** The first byte that is not JSON whitespace, once seen. */
  private firstByte = -1;
  private file: FileHandle | undefined;
  private filePath: string | undefined;
  private hash: Hash | undefined;

  constructor(private readonly options: PayloadCollectorOptions) {}

  /** Bytes collected so far. */
  get bytes(): number {
    return this.size;
  }

  /**
   * Add one piece of the payload (copied: the caller may reuse it). Returns a promise only when the
   * caller must wait before the next push (a spill write); in memory it returns `undefined`, so a
   * stream of small chunks costs no promise per chunk.
   */
  push(bytes: Uint8Array): Promise<void> | undefined {
    const n = bytes.byteLength;
    if (n === 0) return undefined;
    this.size += n;
    if (this.options.spillDirectory !== undefined) {
      if (this.used + n < this.arenaFor().length) {
        this.arenaFor().set(bytes, this.used);
        this.used += n;
        return undefined;
      }
      return this.spill(bytes);
    }
    if (this.size > this.options.maxBytes) {
      this.release();
      throw tooLarge(this.options.maxBytes, `limits.maxAggregatedBytes (${this.options.maxBytes} bytes)`);
    }
    if (this.firstByte < 0) {
      for (let i = 0; i < n; i++) {
        if (!isJsonWhitespace(bytes[i]!)) {
          this.firstByte = bytes[i]!;
          break;
        }
      }
    }
    for (let at = 0; ; ) {
      // Asked for on every turn: draining a full arena may hand it over or grow the next one.
      const arena = this.arenaFor();
      const take = Math.min(n - at, arena.length - this.used);
      arena.set(take === n ? bytes : bytes.subarray(at, at + take), this.used);
      this.used += take;
      at += take;
      if (this.used === arena.length) this.drain(false);
      if (at === n) return undefined;
    }
  }

  private arenaFor(): Buffer {
    this.arena ??= Buffer.allocUnsafe(this.arenaSize);
    return this.arena;
  }

  /** A full arena has been used up: the next one is twice its size (up to ARENA_BYTES). */
  private grow(full: Buffer): void {
    if (full.length >= ARENA_BYTES) return;
    this.arenaSize = Math.min(full.length * 2, ARENA_BYTES);
    if (this.arena === full) this.arena = undefined;
  }

  /** Turn the arena's bytes into text and empty it (`last`: the payload has ended). */
  private drain(last: boolean): void {
    const arena = this.arena;
    const used = this.used;
    this.used = 0;
    if (arena !== undefined && used === arena.length) this.grow(arena);
    if (this.options.encoding === 'bytes') {
      // The full arena is kept as it is and a fresh one taken for the next bytes: no copy, no text.
      if (arena !== undefined && used > 0) this.filled.push(arena.subarray(0, used));
      this.arena = undefined;
      return;
    }
    let piece: string;
    if (this.options.encoding === 'base64') {
      piece = arena === undefined ? '' : arena.toString('base64', 0, used);
    } else if (arena !== undefined && used > 0) {
      const bytes = used === arena.length ? arena : arena.subarray(0, used);
      if (this.decoderIdle && isAscii(bytes)) {
        // ASCII is its own UTF-8 decoding, and Node makes a Latin-1 string of this size outside the JS
        // heap in one copy: several times cheaper than UTF-8 decoding into a large heap string.
        piece = bytes.toString('latin1');
      } else {
        piece = this.decoder.write(bytes);
        this.decoderIdle = bytes[used - 1]! < 0x80;
      }
    } else {
      piece = '';
    }
    if (last && this.options.encoding === 'utf8' && !this.decoderIdle) piece += this.decoder.end();
    try {
      // A rope, not a copy: V8 joins the pieces when the text is first read flat.
      this.text += piece;
    } catch (cause) {
      this.release();
      throw tooLarge(this.options.maxBytes, 'the longest string this runtime can hold', cause);
    }
  }

  private async spill(bytes: Uint8Array): Promise<void> {
    const n = bytes.byteLength;
    for (let at = 0; at < n; ) {
      const arena = this.arenaFor();
      const take = Math.min(n - at, arena.length - this.used);
      arena.set(bytes.subarray(at, at + take), this.used);
      this.used += take;
      at += take;
      if (this.used === arena.length) await this.write();
    }
  }

  /** Write the arena to the spill file (created at the first write) and empty it. */
  private async write(): Promise<void> {
    const used = this.used;
    this.used = 0;
    if (used === 0) return;
    const batch = this.arenaFor();
    try {
      if (this.file === undefined) {
        this.filePath = join(this.options.spillDirectory!, `payload-${randomUUID()}.bin`);
        this.file = await open(this.filePath, 'wx', 0o600);
        this.hash = createHash('sha256');
      }
      this.hash!.update(batch.subarray(0, used));
      let written = 0;
      while (written < used) {
        const { bytesWritten } = await this.file.write(batch, written, used - written);
        written += bytesWritten;
      }
      if (used === batch.length) this.grow(batch);
    } catch (cause) {
      await this.abort();
      throw new OutputError('SPILL_FAILED', `Could not write the payload to ${this.options.spillDirectory}`, {
        cause,
      });
    }
  }

  /** The payload as the result carries it. */
  async finish(): Promise<CollectedPayload> {
    if (this.options.spillDirectory === undefined) {
      if (this.size === 0) return { payloadEncoding: 'none' };
      this.drain(true);
      if (this.options.encoding === 'bytes') return this.finishBytes();
      const text = this.text;
      this.release();
      if (this.options.encoding === 'base64') return { payload: text, payloadEncoding: 'base64' };
      // Only a JSON-looking start is worth a parse attempt; a huge plain text should not be parsed at all.
      if (startsJson(this.firstByte)) {
        try {
          return { payload: JSON.parse(text) as unknown, payloadEncoding: 'json' };
        } catch {
          // not JSON: plain text below
        }
      }
      return { payload: text, payloadEncoding: 'utf8' };
    }
    if (this.size === 0) return { payloadEncoding: 'none' };
    await this.write();
    this.arena = undefined;
    try {
      await this.file!.close();
    } catch (cause) {
      throw new OutputError('SPILL_FAILED', `Could not close the spill file ${this.filePath}`, { cause });
    }
    this.file = undefined;
    return {
      payloadEncoding: 'none',
      spill: { path: this.filePath!, bytes: this.size, sha256: this.hash!.digest('hex') },
    };
  }

  /** `bytes`: JSON when it parses (as in the other encodings), else the bytes as one Uint8Array. */
  private finishBytes(): CollectedPayload {
    const whole = this.filled.length === 1 ? this.filled[0]! : Buffer.concat(this.filled, this.size);
    this.release();
    if (startsJson(this.firstByte)) {
      try {
        return { payload: JSON.parse(whole.toString('utf8')) as unknown, payloadEncoding: 'json' };
      } catch {
        // not JSON: the bytes below
      }
    }
    return {
      payload: new Uint8Array(whole.buffer, whole.byteOffset, whole.byteLength),
      payloadEncoding: 'bytes',
    };
  }

  private release(): void {
    this.arena = undefined;
    this.used = 0;
    this.text = '';
    this.filled = [];
  }

  /** The call failed: drop what was held and remove a partial spill file. */
  async abort(): Promise<void> {
    this.release();
    const file = this.file;
    this.file = undefined;
    if (file !== undefined) await file.close().catch(() => {});
    if (this.filePath !== undefined) await rm(this.filePath, { force: true }).catch(() => {});
  }
}
