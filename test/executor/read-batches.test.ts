import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeInvokeComplete } from '../../src/emulator/encode-invoke-complete.js';
import { encodePayloadChunk } from '../../src/emulator/encode-payload-chunk.js';
import { isTaskError } from '../../src/errors.js';
import { invoke, invokeStream } from '../../src/execute.js';
import {
  eventStream,
  type StreamServer,
  startStreamServer,
  streamHeaders,
  streamResponse,
} from '../support/stream-server.js';
import { collect, inputFor, quietContext } from './helpers.js';

// The executor decodes all the messages of one socket read before handing any on (one async hop per
// read). These tests pin what that must not change: good chunks before a bad message in the same read
// are still delivered and counted, and a large aggregated payload is the same whatever the reads.

let server: StreamServer;
beforeAll(async () => {
  server = await startStreamServer();
});
afterAll(() => server.close());

describe('messages decoded a read at a time', () => {
  it('delivers the chunks before a corrupt message of the same read, then the error with their count', async () => {
    const bad = encodePayloadChunk(Buffer.from('corrupt'));
    bad[bad.length - 6] = bad[bad.length - 6]! ^ 0x01;
    const body = Buffer.concat([
      encodePayloadChunk(Buffer.from('one ')),
      encodePayloadChunk(Buffer.from('two ')),
      encodePayloadChunk(Buffer.from('three')),
      bad,
      encodeInvokeComplete({}),
    ]);
    server.respond(streamResponse(body));
    const events = await collect(invokeStream(inputFor(server.url), quietContext()));
    expect(events.map((e) => e.type)).toEqual(['start', 'chunk', 'chunk', 'chunk', 'error']);
    expect(events.at(-1)).toMatchObject({ code: 'STREAM_CHECKSUM', chunksDelivered: 3 });

    server.respond(streamResponse(body));
    let thrown: unknown;
    try {
      await invoke(inputFor(server.url), quietContext());
    } catch (error) {
      thrown = error;
    }
    expect(isTaskError(thrown) && thrown.code).toBe('STREAM_CHECKSUM');
  });

  it('aggregates a multi-MiB JSON payload of multi-byte text, whatever the read sizes', async () => {
    const value = { text: 'ünïcödé 日本 🎉 '.repeat(100_000) };
    const payload = Buffer.from(JSON.stringify(value));
    const parts: Buffer[] = [];
    for (let at = 0; at < payload.length; at += 40_001) parts.push(payload.subarray(at, at + 40_001));
    const body = Buffer.concat([...parts.map((p) => encodePayloadChunk(p)), encodeInvokeComplete({})]);
    for (const pieceSize of [undefined, 65_537]) {
      server.respond(streamResponse(body, pieceSize === undefined ? {} : { pieceSize }));
      const result = await invoke(inputFor(server.url), quietContext());
      expect(result.payloadEncoding).toBe('json');
      expect(result.payload).toEqual(value);
      expect(result.bytes).toBe(payload.length);
      expect(result.chunks).toBe(parts.length);
    }
  });
});

describe('chunk bytes that span reads', () => {
  it('frames lines across messages that each span several reads', async () => {
    // The executor assembles such messages in one reused buffer; a partial line kept from one must be a
    // copy, or the next message would overwrite it.
    const lines = Array.from({ length: 30 }, (_, i) => `{"line":${i},"text":"${'é'.repeat(i)}"}`);
    const text = `${lines.join('\n')}\n`;
    const pieces: string[] = [];
    for (let at = 0; at < text.length; at += 23) pieces.push(text.slice(at, at + 23));
    server.respond(streamResponse(eventStream(pieces), { pieceSize: 11 }));
    const events = await collect(
      invokeStream(inputFor(server.url, { settings: { framing: 'line' } }), quietContext()),
    );
    const data = events.flatMap((e) => (e.type === 'chunk' ? [e.data] : []));
    expect(data).toEqual(lines);
    expect(events.at(-1)).toMatchObject({ type: 'complete', bytes: Buffer.byteLength(text) });
  });

  it('strips an HTTP-integration prelude whose messages span reads', async () => {
    const prelude = JSON.stringify({ statusCode: 202, headers: { 'x-a': 'b' } });
    const whole = Buffer.concat([
      Buffer.from(prelude),
      Buffer.alloc(8),
      Buffer.from('{"body":"after the prelude"}'),
    ]);
    const pieces: Buffer[] = [];
    for (let at = 0; at < whole.length; at += 9) pieces.push(whole.subarray(at, at + 9));
    server.respond(
      streamResponse(eventStream(pieces), {
        pieceSize: 13,
        headers: { 'content-type': 'application/vnd.awslambda.http-integration-response' },
      }),
    );
    const result = await invoke(inputFor(server.url), quietContext());
    expect(result.httpResponse).toEqual({ statusCode: 202, headers: { 'x-a': 'b' } });
    expect(result.payload).toEqual({ body: 'after the prelude' });
  });
});

describe('reading the body', () => {
  it('stops reading the socket while the consumer does not pull, so the server is held back', async () => {
    // The body is read ahead of the consumer by a bounded amount; a reader that let the response flow
    // on would take the whole 256 MiB into memory while the consumer sits on its first chunk.
    const MiB = 1024 * 1024;
    const message = encodePayloadChunk(Buffer.alloc(64 * 1024, 0x62));
    let written = 0;
    let blocked: () => void = () => {};
    const firstBlock = new Promise<void>((resolve) => {
      blocked = resolve;
    });
    server.respond(async (_req, res) => {
      res.writeHead(200, streamHeaders());
      for (let i = 0; i < 4096 && !res.destroyed; i++) {
        written += message.length;
        if (!res.write(message)) {
          blocked();
          await new Promise((resolve) => {
            res.once('drain', resolve);
            res.once('close', resolve);
          });
        }
      }
      if (!res.destroyed) res.end(encodeInvokeComplete({}));
    });
    const events = invokeStream(inputFor(server.url), quietContext())[Symbol.asyncIterator]();
    expect((await events.next()).value).toMatchObject({ type: 'start' });
    expect((await events.next()).value).toMatchObject({ type: 'chunk', seq: 0 });
    await firstBlock;
    // Give a reader that does not pause every chance to drain the server (this is not a timing assertion:
    // on a slower machine it only reads less).
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(written).toBeLessThan(32 * MiB);
    await events.return?.(undefined);
  });
});
