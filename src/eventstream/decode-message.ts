import { StreamError } from '../errors.js';
import { crc32 } from './crc32.js';
import { checkPrelude } from './message-framer.js';
import type { EventStreamMessage, HeaderValue, MessageHeaders } from './message-types.js';
import { MESSAGE_OVERHEAD_BYTES, PRELUDE_BYTES } from './message-types.js';

const utf8 = new TextDecoder();

function readUint32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

/** Header names and Lambda's values are short ASCII; building those by hand beats a TextDecoder call. */
function decodeText(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 48) {
    let text = '';
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      if (c > 0x7f) return utf8.decode(bytes.subarray(start, end));
      text += String.fromCharCode(c);
    }
    return text;
  }
  return utf8.decode(bytes.subarray(start, end));
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
  const length = frame.length;
  if (length < MESSAGE_OVERHEAD_BYTES) {
    throw malformed(`An event-stream message needs at least 16 bytes, got ${length}`, { length });
  }
  const total = checkPrelude(frame, 0, 0xffffffff);
  if (total !== length) {
    throw malformed(`Event-stream message declares ${total} bytes but the frame has ${length}`, {
      declaredLength: total,
      length,
    });
  }
  const expected = readUint32(frame, length - 4);
  if (crc32(frame.subarray(0, length - 4)) !== expected) {
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
    headers: decodeHeaders(frame, PRELUDE_BYTES, headersEnd),
    body: frame.subarray(headersEnd, length - 4),
  };
}
