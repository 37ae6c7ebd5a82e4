import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isTaskError } from '../../src/errors.js';
import { type CollectedPayload, PayloadCollector } from '../../src/output/payload-collector.js';

const MiB = 1024 * 1024;

/** A deterministic pseudo-random source, so a failure can be replayed. */
function prng(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

/** `bytes` cut into pieces of random sizes up to `max`. */
function pieces(bytes: Uint8Array, max: number, random: () => number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(random() * max);
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}

async function collect(
  parts: Iterable<Uint8Array>,
  options: Partial<ConstructorParameters<typeof PayloadCollector>[0]> = {},
): Promise<CollectedPayload> {
  const collector = new PayloadCollector({ maxBytes: 64 * MiB, encoding: 'utf8', ...options });
  for (const part of parts) {
    const wait = collector.push(part);
    if (wait !== undefined) await wait;
  }
  return collector.finish();
}

describe('PayloadCollector in memory', () => {
  it('decodes multi-byte text whose characters straddle the 1 MiB buffer boundaries, whatever the piece sizes', async () => {
    const text = 'aé日🎉'.repeat(300_000); // 3 MiB of 1- to 4-byte characters
    const bytes = Buffer.from(text);
    const random = prng(7);
    for (const max of [1, 7777, 200_000, 4 * MiB]) {
      const parts = max === 1 ? [bytes] : pieces(bytes, max, random);
      expect(await collect(parts)).toEqual({ payload: text, payloadEncoding: 'utf8' });
    }
  });

  it('replaces invalid UTF-8 exactly as decoding the whole payload at once does, at any boundary', async () => {
    // Truncated sequences, stray continuation bytes, overlongs and surrogates, many landing on a
    // buffer boundary: the text must not depend on where the payload was cut.
    const random = prng(11);
    const alphabet = [
      0x41, 0x80, 0xbf, 0xc0, 0xc2, 0xe0, 0xe2, 0x82, 0xed, 0xa0, 0xf0, 0x90, 0xf4, 0xf5, 0xff,
    ];
    const bytes = Buffer.alloc(3 * MiB);
    for (let i = 0; i < bytes.length; i++) bytes[i] = alphabet[Math.floor(random() * alphabet.length)]!;
    const expected = new TextDecoder().decode(bytes);
    expect(expected).toContain('\uFFFD');
    const result = await collect(pieces(bytes, 50_000, random));
    expect(result.payloadEncoding).toBe('utf8');
    expect(result.payload === expected).toBe(true);
  });

  it('decodes ASCII stretches and the characters between them the same as the whole payload', async () => {
    // The collector turns an all-ASCII megabyte into text without the UTF-8 decoder: a character (or an
    // invalid sequence) cut at the end of the megabyte before must still come out right. Its buffer holds
    // 1,048,575 bytes; the odd bytes sit on and around the first boundary, all ASCII after them.
    const boundary = 3 * 349_525;
    for (const odd of [[0xc3, 0xa9], [0xe2, 0x82], [0xf0, 0x9f, 0x8e, 0x89], [0x80]]) {
      for (const shift of [-3, -2, -1, 0, 1]) {
        const bytes = Buffer.alloc(3 * boundary + 10, 0x61);
        Buffer.from(odd).copy(bytes, boundary + shift);
        const expected = new TextDecoder().decode(bytes);
        const result = await collect(pieces(bytes, 300_000, prng(shift + 10)));
        expect(result.payload === expected).toBe(true);
      }
    }
  });

  it('builds base64 in pieces that join to the base64 of the whole payload', async () => {
    const random = prng(3);
    const bytes = Buffer.alloc(2 * MiB + 5);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
    for (const max of [1000, 3 * MiB]) {
      const result = await collect(pieces(bytes, max, random), { encoding: 'base64' });
      expect(result.payloadEncoding).toBe('base64');
      expect(result.payload === bytes.toString('base64')).toBe(true);
    }
    expect(await collect([Buffer.from([1, 2])], { encoding: 'base64' })).toEqual({
      payload: 'AQI=',
      payloadEncoding: 'base64',
    });
  });

  it('parses JSON after leading JSON whitespace, and keeps text that only starts like JSON', async () => {
    const utf8 = (s: string) => collect(pieces(Buffer.from(s), 3, prng(1)));
    expect(await utf8(' \r\n\t{"a":[1,2,"é"]}')).toEqual({
      payload: { a: [1, 2, 'é'] },
      payloadEncoding: 'json',
    });
    expect(await utf8('true')).toEqual({ payload: true, payloadEncoding: 'json' });
    expect(await utf8('-12.5')).toEqual({ payload: -12.5, payloadEncoding: 'json' });
    expect(await utf8('"quoted"')).toEqual({ payload: 'quoted', payloadEncoding: 'json' });
    expect(await utf8('trueish')).toEqual({ payload: 'trueish', payloadEncoding: 'utf8' });
    expect(await utf8('{"cut":')).toEqual({ payload: '{"cut":', payloadEncoding: 'utf8' });
    expect(await utf8('   ')).toEqual({ payload: '   ', payloadEncoding: 'utf8' });
    // A byte-order mark or a non-JSON space in front is text, as JSON.parse would say.
    expect(await utf8('\uFEFF{}')).toEqual({ payload: '\uFEFF{}', payloadEncoding: 'utf8' });
    expect(await utf8('\u00a0{}')).toEqual({ payload: '\u00a0{}', payloadEncoding: 'utf8' });
    expect(await collect([])).toEqual({ payloadEncoding: 'none' });
    expect(await collect([new Uint8Array(0)], { encoding: 'base64' })).toEqual({ payloadEncoding: 'none' });
  });

  it('parses a JSON document larger than the buffer', async () => {
    const value = { items: Array.from({ length: 150_000 }, (_, i) => ({ i, s: 'ü'.repeat(i % 5) })) };
    const bytes = Buffer.from(JSON.stringify(value));
    expect(bytes.length).toBeGreaterThan(2 * MiB);
    expect(await collect(pieces(bytes, 30_000, prng(5)))).toEqual({
      payload: value,
      payloadEncoding: 'json',
    });
  });

  it('copies what it is given, so the caller may reuse its buffer', async () => {
    const collector = new PayloadCollector({ maxBytes: 100, encoding: 'utf8' });
    const scratch = Buffer.from('abc');
    expect(collector.push(scratch)).toBeUndefined();
    scratch.write('xyz');
    expect(collector.push(scratch)).toBeUndefined();
    expect(await collector.finish()).toEqual({ payload: 'abcxyz', payloadEncoding: 'utf8' });
  });

  it('fails with OUTPUT_TOO_LARGE as soon as the cap is passed, and accepts a payload of exactly the cap', async () => {
    expect(await collect([Buffer.from('12345'), Buffer.from('67890')], { maxBytes: 10 })).toEqual({
      payload: 1234567890,
      payloadEncoding: 'json',
    });
    const collector = new PayloadCollector({ maxBytes: 10, encoding: 'utf8' });
    collector.push(Buffer.from('123456'));
    let thrown: unknown;
    try {
      collector.push(Buffer.from('78901'));
    } catch (error) {
      thrown = error;
    }
    expect(isTaskError(thrown) && thrown.code).toBe('OUTPUT_TOO_LARGE');
    expect(isTaskError(thrown) && thrown.details).toEqual({ maxAggregatedBytes: 10 });
    expect(collector.bytes).toBe(11);
  });
});

describe('PayloadCollector spilling to a file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'collector-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes every byte in order with its SHA-256, for small pieces and pieces larger than the buffer', async () => {
    const random = prng(9);
    const bytes = Buffer.alloc(3 * MiB + 17);
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
    const parts = [
      ...pieces(bytes.subarray(0, MiB), 5000, random),
      bytes.subarray(MiB, 3 * MiB + 1),
      bytes.subarray(3 * MiB + 1),
    ];
    const result = await collect(parts, { spillDirectory: dir, maxBytes: 10 });
    expect(result.payloadEncoding).toBe('none');
    expect(result.spill?.bytes).toBe(bytes.length);
    expect(result.spill?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect((await readFile(result.spill!.path)).equals(bytes)).toBe(true);
  });

  it('creates no file for an empty payload, and removes a partial file when the call fails', async () => {
    const before = await readdir(dir);
    expect(await collect([], { spillDirectory: dir })).toEqual({ payloadEncoding: 'none' });
    const collector = new PayloadCollector({ maxBytes: 10, encoding: 'utf8', spillDirectory: dir });
    const wait = collector.push(Buffer.alloc(2 * MiB, 0x61));
    expect(wait).toBeInstanceOf(Promise);
    await wait;
    expect((await readdir(dir)).length).toBe(before.length + 1);
    await collector.abort();
    expect(await readdir(dir)).toEqual(before);
  });

  it('reports SPILL_FAILED when the directory cannot be written', async () => {
    const collector = new PayloadCollector({
      maxBytes: 10,
      encoding: 'utf8',
      spillDirectory: join(dir, 'missing', 'deeper'),
    });
    collector.push(Buffer.from('abc'));
    let thrown: unknown;
    try {
      await collector.finish();
    } catch (error) {
      thrown = error;
    }
    expect(isTaskError(thrown) && thrown.code).toBe('SPILL_FAILED');
  });
});
