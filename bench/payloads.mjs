// The payloads the benchmark streams: ASCII text and uniformly spread binary bytes, generated the
// same way in every process (bench/server.mjs, bench/utf8-decode.mjs).

import { Buffer } from 'node:buffer';

// ASCII text whose period (55) is not a divisor of any chunk size, so every chunk's bytes differ from
// its neighbours' and a client that drops or reorders data cannot report the right byte count by luck.
const TEXT = Buffer.from('The quick brown fox jumps over the lazy dog 0123456789\n');

export function payloadText(size) {
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i += TEXT.length) TEXT.copy(out, i, 0, Math.min(TEXT.length, size - i));
  return out;
}

/**
 * Bytes as a compressed or encrypted file has them: uniformly spread (xorshift32, fixed seed), so about
 * half are not ASCII and almost none form UTF-8 — the slow case of a UTF-8 decoder.
 */
export function payloadBinary(size) {
  const out = Buffer.allocUnsafe(size);
  let x = 0x9e3779b9;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
