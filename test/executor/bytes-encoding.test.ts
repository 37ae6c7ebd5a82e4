// `outputEncoding: 'bytes'`: chunk data (and a non-JSON aggregated payload) as Uint8Array, the exact
// bytes, valid for as long as the host keeps them (the task never reuses or changes them).

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { invoke, invokeStream } from '../../src/execute.js';
import type { ChunkEvent, OutputEvent } from '../../src/generated/output-event.js';
import { chunkBytes } from '../../src/index.js';
import {
  eventStream,
  type StreamServer,
  startStreamServer,
  streamResponse,
} from '../support/stream-server.js';
import { collect, inputFor, quietContext } from './helpers.js';

let server: StreamServer;
beforeAll(async () => {
  server = await startStreamServer();
});
afterAll(() => server.close());

const chunks = (events: OutputEvent[]): ChunkEvent[] =>
  events.filter((e): e is ChunkEvent => e.type === 'chunk');

/** Bytes that are not UTF-8 (every value 0–255, twice, shuffled by a fixed stride). */
function binary(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 167 + 13) & 0xff;
  return out;
}

describe('outputEncoding bytes', () => {
  it('gives each chunk its exact bytes as a plain Uint8Array, with offsets and sizes', async () => {
    const pieces = [binary(5000), binary(3), Uint8Array.of(0xe2, 0x82), Uint8Array.of(0xac)];
    // Small reads, so messages span reads and some chunks are assembled from several of them.
    server.respond(streamResponse(eventStream(pieces), { pieceSize: 700 }));
    const events = await collect(
      invokeStream(inputFor(server.url, { settings: { outputEncoding: 'bytes' } }), quietContext()),
    );
    const got = chunks(events);
    expect(got.map((c) => [c.seq, c.offset, c.size, c.encoding])).toEqual([
      [0, 0, 5000, 'bytes'],
      [1, 5000, 3, 'bytes'],
      [2, 5003, 2, 'bytes'],
      [3, 5005, 1, 'bytes'],
    ]);
    for (const [i, c] of got.entries()) {
      expect(c.data).toBeInstanceOf(Uint8Array);
      expect((c.data as Uint8Array).constructor).toBe(Uint8Array);
      expect(Buffer.from(c.data as Uint8Array).equals(Buffer.from(pieces[i]!))).toBe(true);
      expect(Buffer.from(chunkBytes(c)).equals(Buffer.from(pieces[i]!))).toBe(true);
    }
    expect(events.at(-1)).toMatchObject({ type: 'complete', bytes: 5006, chunks: 4 });
  });

  it('keeps every chunk intact after the call has read on (nothing is reused)', async () => {
    const pieces = Array.from({ length: 40 }, (_, i) => binary(1000 + i));
    server.respond(streamResponse(eventStream(pieces), { pieceSize: 4096 }));
    const kept: Uint8Array[] = [];
    for await (const event of invokeStream(
      inputFor(server.url, { settings: { outputEncoding: 'bytes' } }),
      quietContext(),
    )) {
      if (event.type === 'chunk') kept.push(event.data as Uint8Array);
    }
    expect(kept).toHaveLength(40);
    for (const [i, data] of kept.entries())
      expect(Buffer.from(data).equals(Buffer.from(pieces[i]!))).toBe(true);
  });

  it('gives lines as bytes without their newline in line framing', async () => {
    server.respond(
      streamResponse(eventStream(['a\xffb\n', 'cd', '\r\nlast'].map((s) => Buffer.from(s, 'latin1')))),
    );
    const events = await collect(
      invokeStream(
        inputFor(server.url, { settings: { outputEncoding: 'bytes', framing: 'line' } }),
        quietContext(),
      ),
    );
    expect(chunks(events).map((c) => [Buffer.from(c.data as Uint8Array).toString('latin1'), c.size])).toEqual(
      [
        ['a\xffb', 4],
        ['cd', 4],
        ['last', 4],
      ],
    );
  });

  it('aggregates a binary payload into one Uint8Array, and still parses JSON', async () => {
    const payload = binary(3 * 1024 * 1024 + 17);
    const pieces = Array.from({ length: Math.ceil(payload.length / 65536) }, (_, i) =>
      payload.subarray(i * 65536, (i + 1) * 65536),
    );
    server.respond(streamResponse(eventStream(pieces)));
    const result = await invoke(
      inputFor(server.url, { settings: { outputEncoding: 'bytes' } }),
      quietContext(),
    );
    expect(result.payloadEncoding).toBe('bytes');
    expect(result.payload).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(result.payload as Uint8Array).equals(Buffer.from(payload))).toBe(true);

    server.respond(streamResponse(eventStream(['{"ok":', 'true}'])));
    const json = await invoke(
      inputFor(server.url, { settings: { outputEncoding: 'bytes' } }),
      quietContext(),
    );
    expect(json).toMatchObject({ payload: { ok: true }, payloadEncoding: 'json' });
  });
});
