import * as zlib from 'node:zlib';

type Crc32 = (data: Uint8Array, initial?: number) => number;

function makeTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

const TABLE = makeTable();

/** Table-driven CRC-32 (IEEE, reflected 0xEDB88320), for runtimes whose zlib lacks `crc32`. */
function crc32Portable(data: Uint8Array, initial = 0): number {
  return crc32Range(data, 0, data.length, initial);
}

/**
 * CRC-32 of `data[start, end)` in JavaScript, without creating a view. For a handful of bytes (the
 * 8-byte prelude, tiny messages) this beats a native call, whose fixed cost is a view plus argument checks.
 */
export function crc32Range(data: Uint8Array, start: number, end: number, initial = 0): number {
  let crc = (initial ^ 0xffffffff) >>> 0;
  for (let i = start; i < end; i++) crc = TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// Native zlib.crc32 (Node ≥ 20.15 / 22.2) makes the checks nearly free; the portable one keeps the
// package working on an older Node 20 at a throughput cost.
const native = (zlib as { crc32?: Crc32 }).crc32;

/**
 * CRC-32 (the zlib/IEEE one the event-stream format uses) of `data`, continuing from `initial`.
 * @example
 * crc32(new TextEncoder().encode('123456789')) // 0xcbf43926
 */
export const crc32: Crc32 = typeof native === 'function' ? native : crc32Portable;

/** True when the native implementation is in use (reported by the benchmark). */
export const crc32IsNative: boolean = typeof native === 'function';

export { crc32Portable };
