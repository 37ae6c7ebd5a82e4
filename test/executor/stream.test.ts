import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodePayloadChunk } from '../../src/emulator/encode-payload-chunk.js';
import { isTaskError, type TaskError } from '../../src/errors.js';
import { encodeException, encodeMessage } from '../../src/eventstream/index.js';
import { execute, invoke, invokeStream } from '../../src/execute.js';
import type { ChunkEvent, OutputEvent } from '../../src/generated/output-event.js';
import type { TaskLogger } from '../../src/logger.js';
import {
  errorResponse,
  eventStream,
  type StreamServer,
  startStreamServer,
  streamHeaders,
  streamResponse,
} from '../support/stream-server.js';
import { collect, inputFor, quietContext } from './helpers.js';

let server: StreamServer;
beforeAll(async () => {
  server = await startStreamServer();
});
afterAll(() => server.close());

function chunks(events: OutputEvent[]): ChunkEvent[] {
  return events.filter((e): e is ChunkEvent => e.type === 'chunk');
}

async function rejection(promise: Promise<unknown>): Promise<TaskError> {
  try {
    await promise;
  } catch (error) {
    if (isTaskError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

function recordingLogger(): TaskLogger & {
  lines: Array<[string, string, Record<string, unknown> | undefined]>;
} {
  const lines: Array<[string, string, Record<string, unknown> | undefined]> = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push([level, message, fields]);
  };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('decoding the stream as it arrives', () => {
  it('reassembles a response delivered one byte per read', async () => {
    server.respond(streamResponse(eventStream(['{"greeting":', '"hello"}']), { pieceSize: 1 }));
    const result = await invoke(inputFor(server.url), quietContext());
    expect(result).toMatchObject({
      statusCode: 200,
      executedVersion: '$LATEST',
      requestId: 'stream-request-1',
      payload: { greeting: 'hello' },
      payloadEncoding: 'json',
      bytes: 20,
      chunks: 2,
    });
    expect(server.requests.at(-1)?.signatureOk).toBe(true);
  });

  it('never splits a UTF-8 character between two chunk events', async () => {
    const text = 'héllo wörld — 日本語 🎉';
    const bytes = Buffer.from(text);
    // Cut every chunk at 1 byte, so every multi-byte character is split.
    const pieces = [...bytes].map((b) => Uint8Array.of(b));
    server.respond(streamResponse(eventStream(pieces)));
    const events = await collect(invokeStream(inputFor(server.url), quietContext()));
    const data = chunks(events).map((c) => c.data);
    expect(data.join('')).toBe(text);
    for (const piece of data) expect(piece).not.toContain('\uFFFD');
    expect(chunks(events)).toHaveLength(bytes.byteLength);
    expect(events.at(-1)).toMatchObject({
      type: 'complete',
      bytes: bytes.byteLength,
      chunks: bytes.byteLength,
    });
  });

  it('gives base64 chunk events the exact bytes, with offsets and sequence numbers', async () => {
    const a = Uint8Array.of(0, 255, 1);
    const b = Uint8Array.of(2, 3);
    server.respond(streamResponse(eventStream([a, b])));
    const events = await collect(
      invokeStream(inputFor(server.url, { settings: { outputEncoding: 'base64' } }), quietContext()),
    );
    expect(
      chunks(events).map(({ seq, offset, size, data, encoding }) => ({ seq, offset, size, data, encoding })),
    ).toEqual([
      { seq: 0, offset: 0, size: 3, data: Buffer.from(a).toString('base64'), encoding: 'base64' },
      { seq: 1, offset: 3, size: 2, data: Buffer.from(b).toString('base64'), encoding: 'base64' },
    ]);
  });

  it('emits one event per complete line when lines are split across chunks', async () => {
    server.respond(streamResponse(eventStream(['{"n":1}\n{"n"', ':2}\r\n{', '"n":3}\n', '{"n":4}'])));
    const events = await collect(
      invokeStream(inputFor(server.url, { settings: { framing: 'line' } }), quietContext()),
    );
    const lines = chunks(events);
    expect(lines.map((l) => JSON.parse(l.data as string) as unknown)).toEqual([
      { n: 1 },
      { n: 2 },
      { n: 3 },
      { n: 4 },
    ]);
    expect(lines.map((l) => [l.seq, l.offset, l.size])).toEqual([
      [0, 0, 8],
      [1, 8, 9],
      [2, 17, 8],
      [3, 25, 7],
    ]);
  });

  it('fails a line longer than limits.maxLineBytes with OUTPUT_TOO_LARGE', async () => {
    server.respond(streamResponse(eventStream(['short\n', 'x'.repeat(40), 'y'.repeat(40), '\n'])));
    const events = await collect(
      invokeStream(
        inputFor(server.url, { settings: { framing: 'line', limits: { maxLineBytes: 64 } } }),
        quietContext(),
      ),
    );
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'OUTPUT_TOO_LARGE', chunksDelivered: 1 });
  });

  it('carries a 4 MiB chunk whole', async () => {
    const big = Buffer.alloc(4 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    server.respond(streamResponse(eventStream([big])));
    const result = await invoke(
      inputFor(server.url, { settings: { outputEncoding: 'base64' } }),
      quietContext(),
    );
    expect(result.bytes).toBe(big.length);
    expect(Buffer.from(result.payload as string, 'base64').equals(big)).toBe(true);
  });

  it('delivers 2,000 small chunks in order', async () => {
    const payloads = Array.from({ length: 2000 }, (_, i) => `${i},`);
    server.respond(streamResponse(eventStream(payloads), { pieceSize: 7001 }));
    const events = await collect(invokeStream(inputFor(server.url), quietContext()));
    const data = chunks(events);
    expect(data).toHaveLength(2000);
    expect(data.map((c) => c.data).join('')).toBe(payloads.join(''));
    expect(data.every((c, i) => c.seq === i)).toBe(true);
  });

  it('skips unknown event types', async () => {
    const future = encodeMessage({
      headers: {
        ':message-type': { type: 'string', value: 'event' },
        ':event-type': { type: 'string', value: 'FutureEvent' },
      },
      body: Buffer.from('ignored'),
    });
    server.respond(
      streamResponse(Buffer.concat([encodePayloadChunk(Buffer.from('a')), future, eventStream(['b'])])),
    );
    const result = await invoke(inputFor(server.url), quietContext());
    expect(result.payload).toBe('ab');
    expect(result.chunks).toBe(2);
  });

  it('reports a function error with its decoded tail log, not as an exception, and logs it', async () => {
    const log = 'START RequestId: 1\nsomething failed\nEND RequestId: 1\n';
    server.respond(
      streamResponse(
        eventStream(['partial'], {
          ErrorCode: 'Unhandled',
          ErrorDetails: 'boom',
          LogResult: Buffer.from(log).toString('base64'),
        }),
      ),
    );
    const logger = recordingLogger();
    const result = await invoke(
      inputFor(server.url, { headers: { 'X-Amz-Log-Type': 'Tail' } }),
      quietContext({ logger }),
    );
    expect(result.functionError).toEqual({ errorCode: 'Unhandled', errorDetails: 'boom' });
    expect(result.logResult).toBe(log);
    expect(result.payload).toBe('partial');
    expect(logger.lines.filter(([, , f]) => f?.source === 'function-log').map(([, m]) => m)).toEqual([
      'START RequestId: 1',
      'something failed',
      'END RequestId: 1',
    ]);
    expect(logger.lines.some(([level, m]) => level === 'warn' && m.includes('Unhandled'))).toBe(true);
    expect(server.requests.at(-1)?.headers['x-amz-log-type']).toBe('Tail');

    server.respond(streamResponse(eventStream([], { ErrorCode: 'Unhandled' })));
    const events = await collect(invokeStream(inputFor(server.url), quietContext()));
    expect(events.at(-1)).toMatchObject({ type: 'complete', functionError: { errorCode: 'Unhandled' } });
  });

  it('turns an in-stream exception into STREAM_EXCEPTION after the chunks already delivered', async () => {
    server.respond(
      streamResponse(
        Buffer.concat([
          encodePayloadChunk(Buffer.from('one')),
          encodeException('ServiceException', '{"message":"boom"}'),
        ]),
      ),
    );
    const events = await collect(invokeStream(inputFor(server.url), quietContext()));
    expect(events.map((e) => e.type)).toEqual(['start', 'chunk', 'error']);
    expect(events.at(-1)).toMatchObject({ code: 'STREAM_EXCEPTION', chunksDelivered: 1 });
    expect((events.at(-1) as { message: string }).message).toContain('ServiceException');

    server.respond(streamResponse(encodeException('ServiceException', '{"message":"boom"}')));
    const error = await rejection(invoke(inputFor(server.url), quietContext()));
    expect(error.code).toBe('STREAM_EXCEPTION');
  });

  it('fails on a corrupt checksum', async () => {
    const bytes = eventStream(['abcdef']);
    const lastPayloadByte = bytes.readUInt32BE(0) - 5; // the first message's payload ends before its CRC
    bytes[lastPayloadByte] = bytes[lastPayloadByte]! ^ 0xff;
    server.respond(streamResponse(bytes));
    const error = await rejection(invoke(inputFor(server.url), quietContext()));
    expect(error.code).toBe('STREAM_CHECKSUM');
  });

  it('fails on a message cut short', async () => {
    const bytes = eventStream(['abcdef'], null);
    server.respond(streamResponse(bytes.subarray(0, bytes.length - 5)));
    const events = await collect(invokeStream(inputFor(server.url), quietContext()));
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'STREAM_TRUNCATED', chunksDelivered: 0 });
  });

  it('fails when the stream ends without InvokeComplete', async () => {
    server.respond(streamResponse(eventStream(['abc', 'def'], null)));
    const events = await collect(invokeStream(inputFor(server.url), quietContext()));
    expect(events.map((e) => e.type)).toEqual(['start', 'chunk', 'chunk', 'error']);
    expect(events.at(-1)).toMatchObject({ code: 'STREAM_INCOMPLETE', chunksDelivered: 2 });
    const error = await rejection(invoke(inputFor(server.url), quietContext()));
    expect(error.code).toBe('STREAM_INCOMPLETE');
  });
});

describe('HTTP-integration responses', () => {
  const httpType = { 'content-type': 'application/vnd.awslambda.http-integration-response' };
  const prelude = JSON.stringify({ statusCode: 201, headers: { 'x-custom': 'yes' }, cookies: ['a=1'] });

  it('strips the prelude split across chunks in any way and returns it as httpResponse', async () => {
    const whole = Buffer.concat([Buffer.from(prelude), Buffer.alloc(8), Buffer.from('{"body":true}')]);
    for (const cut of [1, 5, prelude.length, prelude.length + 3, prelude.length + 8]) {
      server.respond(
        streamResponse(eventStream([whole.subarray(0, cut), whole.subarray(cut)]), { headers: httpType }),
      );
      const result = await invoke(inputFor(server.url), quietContext());
      expect(result.httpResponse).toEqual({
        statusCode: 201,
        headers: { 'x-custom': 'yes' },
        cookies: ['a=1'],
      });
      expect(result.payload).toEqual({ body: true });
      expect(result.bytes).toBe(13);
    }
  });

  it('leaves raw payloads with NUL bytes untouched', async () => {
    const raw = Buffer.concat([Buffer.from('{"x":1}'), Buffer.alloc(8), Buffer.from('tail')]);
    server.respond(streamResponse(eventStream([raw])));
    const result = await invoke(
      inputFor(server.url, { settings: { outputEncoding: 'base64' } }),
      quietContext(),
    );
    expect(result.httpResponse).toBeUndefined();
    expect(Buffer.from(result.payload as string, 'base64').equals(raw)).toBe(true);
  });

  it('puts the prelude in the complete event of a chunked call', async () => {
    server.respond(streamResponse(eventStream([prelude, Buffer.alloc(8), 'data']), { headers: httpType }));
    const events = await collect(invokeStream(inputFor(server.url), quietContext()));
    expect(chunks(events).map((c) => c.data)).toEqual(['data']);
    expect(events.at(-1)).toMatchObject({ type: 'complete', httpResponse: { statusCode: 201 } });
  });
});

describe('aggregated output', () => {
  it('returns text that is not JSON as utf8', async () => {
    server.respond(streamResponse(eventStream(['plain ', 'text'])));
    const result = await invoke(inputFor(server.url), quietContext());
    expect(result).toMatchObject({ payload: 'plain text', payloadEncoding: 'utf8' });
    expect(result.timeToFirstByteMs).toBeGreaterThanOrEqual(0);
    expect(result.timeToFirstChunkMs).toBeGreaterThanOrEqual(result.timeToFirstByteMs ?? 0);
  });

  it('ends the call with OUTPUT_TOO_LARGE past the byte cap', async () => {
    server.respond(streamResponse(eventStream(['x'.repeat(600), 'y'.repeat(600)])));
    const error = await rejection(
      invoke(inputFor(server.url, { settings: { limits: { maxAggregatedBytes: 1000 } } }), quietContext()),
    );
    expect(error.code).toBe('OUTPUT_TOO_LARGE');
    expect(error.message).toContain('maxAggregatedBytes');
  });

  it('spills to a file with its size and SHA-256 instead of holding the payload', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spill-'));
    try {
      const big = Buffer.alloc(3 * 1024 * 1024, 7);
      server.respond(streamResponse(eventStream([big, big])));
      const result = await invoke(
        inputFor(server.url, { settings: { spillDirectory: dir, limits: { maxAggregatedBytes: 1024 } } }),
        quietContext(),
      );
      const expected = Buffer.concat([big, big]);
      expect(result.payload).toBeUndefined();
      expect(result.spill?.bytes).toBe(expected.length);
      expect(result.spill?.sha256).toBe(createHash('sha256').update(expected).digest('hex'));
      expect((await readFile(result.spill!.path)).equals(expected)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('answers a DryRun (204, no stream) with an empty result', async () => {
    server.respond((_req, res) => {
      res.writeHead(204, { 'x-amzn-requestid': 'dry-1' });
      res.end();
    });
    const result = await invoke(
      inputFor(server.url, { headers: { 'X-Amz-Invocation-Type': 'DryRun' } }),
      quietContext(),
    );
    expect(result).toMatchObject({
      statusCode: 204,
      requestId: 'dry-1',
      bytes: 0,
      chunks: 0,
      payloadEncoding: 'none',
    });
  });

  it('execute() follows settings.outputMode', async () => {
    server.respond(streamResponse(eventStream(['1'])));
    const aggregated = await execute(inputFor(server.url), quietContext());
    expect(aggregated.mode).toBe('aggregated');
    const chunked = await execute(
      inputFor(server.url, { settings: { outputMode: 'chunked' } }),
      quietContext(),
    );
    expect(chunked.mode).toBe('chunked');
    if (chunked.mode === 'chunked')
      expect((await collect(chunked.events)).map((e) => e.type)).toContain('complete');
  });
});

describe('errors and retries', () => {
  it('retries 429 after Retry-After and then succeeds', async () => {
    const retries: number[] = [];
    server.respond(
      errorResponse(429, 'TooManyRequestsException', 'Rate exceeded', { 'retry-after': '0' }),
      streamResponse(eventStream(['ok'])),
    );
    const before = server.requests.length;
    const result = await invoke(
      inputFor(server.url),
      quietContext({ observer: { onRetry: (r) => retries.push(r.delayMs) } }),
    );
    expect(result.payload).toBe('ok');
    expect(server.requests.length - before).toBe(2);
    expect(retries).toHaveLength(1);
  });

  it('gives up with THROTTLED when Retry-After asks for longer than maxDelayMs', async () => {
    server.respond(errorResponse(429, 'TooManyRequestsException', 'Rate exceeded', { 'retry-after': '30' }));
    const error = await rejection(invoke(inputFor(server.url), quietContext()));
    expect(error).toMatchObject({
      code: 'THROTTLED',
      statusCode: 429,
      retryable: true,
      retryAfterSeconds: 30,
    });
  });

  it('maps a modeled error without retrying it', async () => {
    server.respond(errorResponse(404, 'ResourceNotFoundException', 'Function not found: my-function'));
    const before = server.requests.length;
    const error = await rejection(invoke(inputFor(server.url), quietContext()));
    expect(error).toMatchObject({
      code: 'SERVICE_ERROR',
      statusCode: 404,
      awsErrorType: 'ResourceNotFoundException',
      awsMessage: 'Function not found: my-function',
      requestId: 'error-404',
      retryable: false,
    });
    expect(server.requests.length - before).toBe(1);
    const events = await collect(invokeStream(inputFor(server.url), quietContext()));
    expect(events).toEqual([
      expect.objectContaining({ type: 'error', code: 'SERVICE_ERROR', statusCode: 404, chunksDelivered: 0 }),
    ]);
  });

  it('retries 5xx up to maxAttempts', async () => {
    server.respond(errorResponse(500, 'ServiceException', 'internal'));
    const before = server.requests.length;
    const error = await rejection(invoke(inputFor(server.url), quietContext()));
    expect(error).toMatchObject({ code: 'SERVICE_ERROR', retryable: true });
    expect(server.requests.length - before).toBe(3);
  });

  it('does not retry a failure after the first chunk and says how many chunks were delivered', async () => {
    server.respond(async (_req, res) => {
      res.writeHead(200, streamHeaders());
      res.write(eventStream(['first'], null));
      await new Promise((r) => setTimeout(r, 20));
      res.destroy();
    });
    const before = server.requests.length;
    const events = await collect(invokeStream(inputFor(server.url), quietContext()));
    expect(events.map((e) => e.type)).toEqual(['start', 'chunk', 'error']);
    expect(events.at(-1)).toMatchObject({ code: 'STREAM_INTERRUPTED', chunksDelivered: 1 });
    expect(server.requests.length - before).toBe(1);
  });

  it('throws input errors from the first next() and sends nothing', async () => {
    const before = server.requests.length;
    const iterator = invokeStream({ path: { FunctionName: '' } } as never, quietContext())[
      Symbol.asyncIterator
    ]();
    await expect(iterator.next()).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(execute({ path: {} } as never, quietContext())).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(server.requests.length).toBe(before);
  });
});

describe('observer hooks', () => {
  it('sees the signed request, the response, every message and the order of events', async () => {
    server.respond(streamResponse(eventStream(['a', 'b'])));
    const seen: string[] = [];
    let signed: Record<string, string> = {};
    await invoke(
      inputFor(server.url, { body: { Payload: { q: 1 } } }),
      quietContext({
        observer: {
          onRequest: (r) => {
            seen.push(`request ${r.method} ${new URL(r.url).pathname}`);
            signed = r.headers;
            expect(Buffer.from(r.body).toString()).toBe('{"q":1}');
          },
          onResponse: (r) => seen.push(`response ${r.statusCode}`),
          onMessage: (m) => seen.push(`${m.messageType} ${m.eventType} ${m.payload.byteLength}`),
        },
      }),
    );
    expect(seen).toEqual([
      'request POST /2021-11-15/functions/my-function/response-streaming-invocations',
      'response 200',
      'event PayloadChunk 1',
      'event PayloadChunk 1',
      'event InvokeComplete 2',
    ]);
    expect(signed.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDSTREAMTEST01\/\d{8}\/us-east-1\/lambda\/aws4_request/,
    );
    expect(signed['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
  });
});
