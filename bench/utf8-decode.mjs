// How fast UTF-8 decoders turn binary bytes into text on this machine: the limit behind the `utf8`
// encoding on a binary stream (README, Performance). Uniformly random bytes (xorshift32, fixed seed)
// are almost never valid UTF-8, so most of them become U+FFFD — the slow case of every decoder.
// The JavaScript decoder below is checked against TextDecoder first; it is an experiment, not package code.
//
//   node bench/utf8-decode.mjs

import { StringDecoder } from 'node:string_decoder';
import { payloadBinary } from './payloads.mjs';

const SIZE = 32 * 1024;
const ROUNDS = 1024;

// WHATWG UTF-8 decoding, one U+FFFD per maximal invalid subpart, into UTF-16 code units.
const LEAD = new Int32Array(256).map((_, b) => (b < 0x80 ? b : b >= 0xc2 && b <= 0xf4 ? -1 : 0xfffd));
let units = new Uint16Array(SIZE * 2);
function decodeJs(bytes) {
  if (units.length < bytes.length * 2) units = new Uint16Array(bytes.length * 2);
  const out = units;
  const end = bytes.length;
  let j = 0;
  let i = 0;
  while (i < end) {
    const m = LEAD[bytes[i]];
    if (m >= 0) {
      out[j++] = m;
      i++;
      continue;
    }
    const b = bytes[i++];
    let need;
    let cp;
    let lower = 0x80;
    let upper = 0xbf;
    if (b <= 0xdf) [need, cp] = [1, b & 0x1f];
    else if (b <= 0xef) {
      [need, cp] = [2, b & 0x0f];
      if (b === 0xe0) lower = 0xa0;
      else if (b === 0xed) upper = 0x9f;
    } else {
      [need, cp] = [3, b & 0x07];
      if (b === 0xf0) lower = 0x90;
      else if (b === 0xf4) upper = 0x8f;
    }
    let k = 0;
    for (; k < need && i < end; k++) {
      const c = bytes[i];
      if (c < lower || c > upper) break;
      lower = 0x80;
      upper = 0xbf;
      cp = (cp << 6) | (c & 0x3f);
      i++;
    }
    if (k < need) out[j++] = 0xfffd;
    else if (cp < 0x10000) out[j++] = cp;
    else {
      cp -= 0x10000;
      out[j++] = 0xd800 | (cp >> 10);
      out[j++] = 0xdc00 | (cp & 0x3ff);
    }
  }
  return Buffer.from(out.buffer, 0, j * 2).toString('utf16le');
}

const reference = new TextDecoder();
let seed = 1;
const next = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed >>> 8;
};
for (let round = 0; round < 20_000; round++) {
  const bytes = Buffer.from(Array.from({ length: next() % 40 }, () => next() & 0xff));
  if (decodeJs(bytes) !== reference.decode(bytes))
    throw new Error(`JS decoder differs on ${bytes.toString('hex')}`);
}

const binary = payloadBinary(SIZE);
const text = Buffer.alloc(SIZE, 'The quick brown fox jumps over the lazy dog 0123456789\n');
const decoder = new StringDecoder('utf8');
const cases = {
  'Buffer.toString(utf8)': (b) => b.toString('utf8'),
  TextDecoder: (b) => reference.decode(b),
  string_decoder: (b) => decoder.write(b),
  'JavaScript decoder': decodeJs,
  'latin1 (not UTF-8, for scale)': (b) => b.toString('latin1'),
};
for (const [kind, bytes] of [
  ['binary', binary],
  ['ASCII text', text],
]) {
  for (const [name, decode] of Object.entries(cases)) {
    for (let i = 0; i < 100; i++) decode(bytes);
    const t0 = performance.now();
    for (let i = 0; i < ROUNDS; i++) decode(bytes);
    const mibPerSec = (ROUNDS * SIZE) / 2 ** 20 / ((performance.now() - t0) / 1000);
    console.log(`${kind.padEnd(11)} ${name.padEnd(30)} ${mibPerSec.toFixed(0).padStart(6)} MiB/s`);
  }
}
