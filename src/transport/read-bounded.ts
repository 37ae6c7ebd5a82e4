import type { ResponseBody } from './response-body.js';

/**
 * Read at most `max` bytes; a longer body is cut and its connection closed.
 * @example
 * const excerpt = await readBounded(body, 64 * 1024)
 */
export async function readBounded(body: ResponseBody, max: number): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await body.next();
    if (done) break;
    parts.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    size += value.byteLength;
    if (size >= max) {
      await body.return();
      break;
    }
  }
  return Buffer.concat(parts, size).subarray(0, max);
}
