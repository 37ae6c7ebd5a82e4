import { StreamError } from '../errors.js';
import { crc32 } from './crc32.js';
import type { EventStreamMessage, HeaderValue, MessageHeaders } from './message-types.js';
import { MESSAGE_OVERHEAD_BYTES, PRELUDE_BYTES } from './message-types.js';

const TYPE_TAG: Record<HeaderValue['type'], number> = {
  boolean: 0,
  byte: 2,
  short: 3,
  integer: 4,
  long: 5,
  binary: 6,
  string: 7,
  timestamp: 8,
  uuid: 9,
};

/** Limits every client enforces or assumes (wire-format §3.3): longer names or values would wrap. */
const MAX_NAME_BYTES = 255;
const MAX_VALUE_BYTES = 32767;

function invalid(message: string, header: string): StreamError {
  return new StreamError('STREAM_MALFORMED', message, { details: { header } });
}

function encodeOne(name: string, header: HeaderValue): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length === 0 || nameBytes.length > MAX_NAME_BYTES) {
    throw invalid(`Header name "${name.slice(0, 64)}" must be 1–255 UTF-8 bytes`, name.slice(0, 64));
  }
  let value: Buffer;
  let tag = TYPE_TAG[header.type];
  switch (header.type) {
    case 'boolean':
      value = Buffer.alloc(0);
      tag = header.value ? 0 : 1;
      break;
    case 'byte':
      value = Buffer.alloc(1);
      value.writeInt8(header.value);
      break;
    case 'short':
      value = Buffer.alloc(2);
      value.writeInt16BE(header.value);
      break;
    case 'integer':
      value = Buffer.alloc(4);
      value.writeInt32BE(header.value);
      break;
    case 'long':
      value = Buffer.alloc(8);
      value.writeBigInt64BE(header.value);
      break;
    case 'timestamp':
      value = Buffer.alloc(8);
      value.writeBigInt64BE(BigInt(header.value.getTime()));
      break;
    case 'uuid': {
      const hex = header.value.replace(/-/g, '');
      if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw invalid(`Header "${name}" is not a UUID`, name);
      value = Buffer.from(hex, 'hex');
      break;
    }
    case 'binary':
    case 'string': {
      const bytes = header.type === 'string' ? Buffer.from(header.value, 'utf8') : Buffer.from(header.value);
      if (bytes.length > MAX_VALUE_BYTES) throw invalid(`Header "${name}" value exceeds 32767 bytes`, name);
      value = Buffer.alloc(2 + bytes.length);
      value.writeUInt16BE(bytes.length);
      bytes.copy(value, 2);
      break;
    }
  }
  return Buffer.concat([Buffer.from([nameBytes.length]), nameBytes, Buffer.from([tag]), value]);
}

/**
 * Encodes a header map in insertion order (the order is not significant to decoders, but the
 * Lambda helpers rely on it to match wire-format §3.6 byte for byte).
 */
export function encodeHeaders(headers: MessageHeaders): Buffer {
  return Buffer.concat(Object.entries(headers).map(([name, value]) => encodeOne(name, value)));
}

/**
 * Writes prelude and CRCs around an encoded header block and a body, in one allocation.
 * @internal shared by the encoders in this folder
 */
export function assembleMessage(headerBlock: Uint8Array, body: Uint8Array): Buffer {
  const total = MESSAGE_OVERHEAD_BYTES + headerBlock.length + body.length;
  const out = Buffer.allocUnsafe(total);
  out.writeUInt32BE(total, 0);
  out.writeUInt32BE(headerBlock.length, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  out.set(headerBlock, PRELUDE_BYTES);
  out.set(body, PRELUDE_BYTES + headerBlock.length);
  out.writeUInt32BE(crc32(out.subarray(0, total - 4)), total - 4);
  return out;
}

/**
 * Encodes one event-stream message (for servers and tests). Headers are written in insertion order.
 * Throws `StreamError` `STREAM_MALFORMED` for a header name over 255 bytes or a value over 32767 bytes.
 * @example
 * encodeMessage({ headers: { ':message-type': { type: 'string', value: 'event' } }, body: new Uint8Array() })
 */
export function encodeMessage(message: EventStreamMessage): Uint8Array {
  return assembleMessage(encodeHeaders(message.headers), message.body);
}
