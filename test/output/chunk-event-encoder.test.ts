import { describe, expect, it } from '@jest/globals';
import { ChunkEventEncoder } from '../../src/output/chunk-event-encoder.js';

const options = { encoding: 'utf8', framing: 'chunk', maxLineBytes: 1024 } as const;

describe('ChunkEventEncoder, chunk framing', () => {
  it('turns invalid UTF-8 into U+FFFD so that the joined events equal decoding the whole payload', () => {
    // Stray continuation bytes, a truncated 3-byte sequence, an overlong, a surrogate, and a 4-byte
    // character, fed one byte per piece and in pairs.
    const bytes = Buffer.from([
      0x61, 0x80, 0xe2, 0x82, 0x62, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xf0, 0x9f, 0x8e, 0x89, 0xe2,
    ]);
    const whole = new TextDecoder().decode(bytes);
    for (const step of [1, 2, 5]) {
      const encoder = new ChunkEventEncoder(options);
      const events = [];
      for (let at = 0; at < bytes.length; at += step)
        events.push(encoder.pushChunk(bytes.subarray(at, at + step), at));
      events.push(...encoder.finish(99));
      expect(events.map((e) => e.data).join('')).toBe(whole);
      expect(events.map((e) => e.size).reduce((a, b) => a + b, 0)).toBe(bytes.length);
      // The dangling 0xe2 at the end comes out of finish() as one replacement character of size 0.
      expect(events.at(-1)).toMatchObject({ data: '\uFFFD', size: 0, offset: bytes.length, elapsedMs: 99 });
    }
  });

  it('joins ASCII pieces (taken without the decoder) and split characters into the whole decoding', () => {
    // ASCII runs, multi-byte characters and invalid bytes, cut at seeded random places: the ASCII
    // fast path must hand over to the decoder whenever a character is pending, and back.
    const bytes = Buffer.from(
      Array.from({ length: 40 }, (_, i) =>
        i % 3 === 0 ? 'plain ascii text ' : i % 3 === 1 ? 'é日🎉' : '\xff',
      ).join(''),
      'utf8',
    );
    bytes[50] = 0xe2; // a lead byte with no continuation, inside ASCII
    const whole = new TextDecoder().decode(bytes);
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const encoder = new ChunkEventEncoder(options);
      const texts: string[] = [];
      for (let at = 0; at < bytes.length; ) {
        const step = 1 + random(24);
        texts.push(encoder.pushChunk(bytes.subarray(at, at + step), 0).data as string);
        at += step;
      }
      for (const event of encoder.finish(0)) texts.push(event.data as string);
      expect(texts.join('')).toBe(whole);
    }
  });

  it('gives the same events from pushChunk and push, with consecutive seq and offsets', () => {
    const a = new ChunkEventEncoder(options);
    const b = new ChunkEventEncoder(options);
    const parts = ['hé', 'llo', ' wörld'].map((s) => Buffer.from(s));
    const one = parts.map((p, i) => a.pushChunk(new Uint8Array(p), i));
    const many = parts.flatMap((p, i) => b.push(p, i));
    expect(one).toEqual(many);
    expect(one.map((e) => [e.seq, e.offset, e.size])).toEqual([
      [0, 0, 3],
      [1, 3, 3],
      [2, 6, 7],
    ]);
  });

  it('carries the exact bytes as base64 from a plain Uint8Array view', () => {
    const backing = Uint8Array.of(9, 0, 255, 1, 9);
    const encoder = new ChunkEventEncoder({ ...options, encoding: 'base64' });
    expect(encoder.pushChunk(backing.subarray(1, 4), 0)).toMatchObject({
      data: 'AP8B',
      size: 3,
      encoding: 'base64',
    });
    expect(encoder.finish(1)).toEqual([]);
  });
});
