import { crc32 } from '../eventstream/crc32.js';
import { encodeHeaders } from '../eventstream/encode-message.js';
import { MESSAGE_OVERHEAD_BYTES, PRELUDE_BYTES } from '../eventstream/message-types.js';

// The header block never changes, so it is encoded once (wire-format §2.2 and §3.6 order).
const HEADER_BLOCK = encodeHeaders({
  ':event-type': { type: 'string', value: 'PayloadChunk' },
  ':content-type': { type: 'string', value: 'application/octet-stream' },
  ':message-type': { type: 'string', value: 'event' },
});
const PREFIX_BYTES = PRELUDE_BYTES + HEADER_BLOCK.length;

function writePrefix(out: Buffer, payloadLength: number): void {
  out.writeUInt32BE(MESSAGE_OVERHEAD_BYTES + HEADER_BLOCK.length + payloadLength, 0);
  out.writeUInt32BE(HEADER_BLOCK.length, 4);
  out.writeUInt32BE(crc32(out.subarray(0, 8)), 8);
  HEADER_BLOCK.copy(out, PRELUDE_BYTES);
}

/**
 * Encodes one Lambda `PayloadChunk` message carrying `payload` as is (one allocation, native CRCs).
 * Keep payloads well under 16 MiB so every client accepts them (wire-format §3.3).
 * @example
 * res.write(encodePayloadChunk(Buffer.from('Hello, '))) // 113 bytes, §3.6
 */
export function encodePayloadChunk(payload: Uint8Array): Uint8Array {
  const total = MESSAGE_OVERHEAD_BYTES + HEADER_BLOCK.length + payload.length;
  const out = Buffer.allocUnsafe(total);
  writePrefix(out, payload.length);
  out.set(payload, PREFIX_BYTES);
  out.writeUInt32BE(crc32(out.subarray(0, total - 4)), total - 4);
  return out;
}

/**
 * The same message as {@link encodePayloadChunk} without copying the payload: write `prefix`, the
 * payload itself, then `suffix` (the message CRC, computed over prefix and payload).
 * @example
 * const { prefix, suffix } = encodePayloadChunkParts(big);
 * res.write(prefix); res.write(big); res.write(suffix);
 */
export function encodePayloadChunkParts(payload: Uint8Array): { prefix: Uint8Array; suffix: Uint8Array } {
  const prefix = Buffer.allocUnsafe(PREFIX_BYTES);
  writePrefix(prefix, payload.length);
  const suffix = Buffer.allocUnsafe(4);
  suffix.writeUInt32BE(crc32(payload, crc32(prefix)), 0);
  return { prefix, suffix };
}
