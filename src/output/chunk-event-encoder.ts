import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { OutputError } from '../errors.js';
import type { ChunkEvent } from '../generated/output-event.js';

/** Default bound of one line in `line` framing. */
export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

export interface ChunkEventEncoderOptions {
  encoding: 'utf8' | 'base64' | 'bytes';
  framing: 'chunk' | 'line';
  maxLineBytes: number;
}

const NEWLINE = 0x0a;

/** A plain Uint8Array over the same bytes: `bytes` events carry one type whatever the read was. */
function asView(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array
    ? bytes
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Turns payload bytes into chunk events. `chunk` framing: one event per piece, text decoded with
 * a streaming decoder so a multi-byte character split across pieces is never split across events
 * (base64 carries the exact bytes); invalid UTF-8 becomes U+FFFD, the joined text of all events being
 * exactly what decoding the whole payload at once gives. `line` framing: one event per complete line (the newline and
 * a preceding `\r` removed from `data`, counted in `size`), however lines fall across pieces.
 * `seq` counts events from 0; `offset` is the payload byte offset of the event's first byte.
 * @example
 * const enc = new ChunkEventEncoder({ encoding: 'utf8', framing: 'line', maxLineBytes: 1 << 20 })
 * enc.push(bytes, 12) // [{ type: 'chunk', seq: 0, offset: 0, size: 6, elapsedMs: 12, encoding: 'utf8', data: '{"a":1}' }, …]
 */
export class ChunkEventEncoder {
  private seq = 0;
  private offset = 0;
  // node:string_decoder rather than a streaming TextDecoder: several times faster on Node 20 (the
  // largest cost of a 32 KiB chunk), and it takes a Uint8Array as is.
  /** Made on the first piece that is not plain ASCII (most calls never need one). */
  private decoder: StringDecoder | undefined;
  /** The decoder holds no partial character (the last bytes it was given ended with an ASCII byte). */
  private decoderIdle = true;
  private line: Buffer[] = [];
  private lineBytes = 0;

  constructor(private readonly options: ChunkEventEncoderOptions) {}

  private event(offset: number, size: number, elapsedMs: number, data: string | Uint8Array): ChunkEvent {
    return { type: 'chunk', seq: this.seq++, offset, size, elapsedMs, encoding: this.options.encoding, data };
  }

  private lineEvent(bytes: Buffer, size: number, elapsedMs: number): ChunkEvent {
    let end = bytes.byteLength;
    if (end > 0 && bytes[end - 1] === NEWLINE) end--;
    if (end > 0 && bytes[end - 1] === 0x0d) end--;
    const content = bytes.subarray(0, end);
    const { encoding } = this.options;
    const data =
      encoding === 'bytes'
        ? asView(content)
        : encoding === 'base64'
          ? content.toString('base64')
          : content.toString('utf8');
    const event = this.event(this.offset, size, elapsedMs, data);
    this.offset += size;
    return event;
  }

  private tooLong(): OutputError {
    return new OutputError(
      'OUTPUT_TOO_LARGE',
      `A line exceeds limits.maxLineBytes (${this.options.maxLineBytes} bytes); raise the limit or use chunk framing`,
      { details: { maxLineBytes: this.options.maxLineBytes } },
    );
  }

  /** Events for the next payload piece (chunk framing: exactly one). */
  push(bytes: Uint8Array, elapsedMs: number): ChunkEvent[] {
    if (this.options.framing === 'chunk') return [this.pushChunk(bytes, elapsedMs)];
    const buffer = toBuffer(bytes);
    const events: ChunkEvent[] = [];
    let start = 0;
    for (let nl = buffer.indexOf(NEWLINE, start); nl >= 0; nl = buffer.indexOf(NEWLINE, start)) {
      const piece = buffer.subarray(start, nl + 1);
      const size = this.lineBytes + piece.byteLength;
      if (size - 1 > this.options.maxLineBytes) throw this.tooLong();
      const whole = this.lineBytes === 0 ? piece : Buffer.concat([...this.line, piece], size);
      this.line = [];
      this.lineBytes = 0;
      events.push(this.lineEvent(whole, size, elapsedMs));
      start = nl + 1;
    }
    if (start < buffer.byteLength) {
      const rest = buffer.subarray(start);
      this.lineBytes += rest.byteLength;
      if (this.lineBytes > this.options.maxLineBytes) throw this.tooLong();
      // A copy: the executor's chunk bytes are only valid until its next read.
      this.line.push(Buffer.from(rest));
    }
    return events;
  }

  /** `chunk` framing only: the one event for the next payload piece (no array per piece). */
  pushChunk(bytes: Uint8Array, elapsedMs: number): ChunkEvent {
    const { encoding } = this.options;
    const data =
      encoding === 'bytes'
        ? bytes
        : encoding === 'base64'
          ? toBuffer(bytes).toString('base64')
          : this.text(bytes);
    const event = this.event(this.offset, bytes.byteLength, elapsedMs, data);
    this.offset += bytes.byteLength;
    return event;
  }

  /**
   * UTF-8 text of the next piece. An ASCII piece with no character pending is its own decoding and
   * becomes a Latin-1 string in one copy (`isAscii` is a vectorised scan), skipping the decoder's
   * validation pass; anything else goes through the streaming decoder.
   */
  private text(bytes: Uint8Array): string {
    if (this.decoderIdle && isAscii(bytes)) return toBuffer(bytes).toString('latin1');
    this.decoder ??= new StringDecoder('utf8');
    const text = this.decoder.write(bytes);
    this.decoderIdle = bytes.byteLength === 0 || bytes[bytes.byteLength - 1]! < 0x80;
    return text;
  }

  /** Events still held at the end of the payload: a last line without a newline, or a dangling partial character. */
  finish(elapsedMs: number): ChunkEvent[] {
    if (this.options.framing === 'line') {
      if (this.lineBytes === 0) return [];
      const whole = Buffer.concat(this.line, this.lineBytes);
      this.line = [];
      const size = this.lineBytes;
      this.lineBytes = 0;
      return [this.lineEvent(whole, size, elapsedMs)];
    }
    if (this.options.encoding === 'utf8' && this.decoder !== undefined) {
      const tail = this.decoder.end();
      if (tail !== '') return [this.event(this.offset, 0, elapsedMs, tail)];
    }
    return [];
  }
}
