import { describe, expect, it } from '@jest/globals';
import { crc32, crc32Portable, crc32Range } from '../../src/eventstream/crc32.js';

describe('crc32', () => {
  it('computes the standard CRC-32 check value of "123456789" natively and in JavaScript', () => {
    const data = new TextEncoder().encode('123456789');
    expect(crc32(data)).toBe(0xcbf43926);
    expect(crc32Portable(data)).toBe(0xcbf43926);
    expect(crc32Range(new TextEncoder().encode('xx123456789yy'), 2, 11)).toBe(0xcbf43926);
  });

  it('agrees between the native and JavaScript versions, including continuation from a previous value', () => {
    const data = new Uint8Array(5000);
    for (let i = 0; i < data.length; i++) data[i] = (i * 7919) & 0xff;
    for (const size of [0, 1, 8, 127, 128, 4999]) {
      expect(crc32Portable(data.subarray(0, size))).toBe(crc32(data.subarray(0, size)));
    }
    const head = crc32(data.subarray(0, 100));
    expect(crc32Range(data, 100, 5000, head)).toBe(crc32(data));
  });
});
