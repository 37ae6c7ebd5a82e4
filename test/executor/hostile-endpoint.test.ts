import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { invoke, invokeStream } from '../../src/execute.js';
import { testRequest } from '../../src/index.js';
import {
  eventStream,
  type StreamServer,
  startStreamServer,
  streamHeaders,
  streamResponse,
} from '../support/stream-server.js';
import { collect, inputFor, quietContext } from './helpers.js';

// Issue 18, defects 4 and 5, against a hostile endpoint. After InvokeComplete the client read on
// without a limit: a connection that then stayed silent ended as IDLE_TIMEOUT after the idle setting
// (300 s by default) and one followed by endless bytes was read at full speed until it broke. And a
// 204 counted as success for a RequestResponse call (Test request even said "dry run").
let server: StreamServer;
beforeAll(async () => {
  server = await startStreamServer();
});
afterAll(() => server.close());

/** Long deadlines: before the fix each of these calls waited for one of them (past the test's timeout). */
const SLOW = { timeouts: { idleMs: 120_000, totalMs: 240_000 } };

function closed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => (res.destroyed ? resolve() : res.once('close', () => resolve())));
}

describe('after the completion event', () => {
  it('returns the result when the connection then stays silent, and closes it', async () => {
    let ended: Promise<void> = Promise.resolve();
    server.respond((_req, res) => {
      res.writeHead(200, streamHeaders());
      res.write(eventStream(['{"ok":true}']));
      ended = closed(res);
    });
    const result = await invoke(inputFor(server.url, { settings: SLOW }), quietContext());
    expect(result.payload).toEqual({ ok: true });
    await ended;
    const events = await collect(invokeStream(inputFor(server.url, { settings: SLOW }), quietContext()));
    expect(events.map((e) => e.type)).toEqual(['start', 'chunk', 'complete']);
  });

  it('returns the result when endless bytes follow, reading only a bounded amount of them', async () => {
    let sent = 0;
    let ended: Promise<void> = Promise.resolve();
    server.respond(async (_req, res) => {
      res.writeHead(200, streamHeaders());
      res.write(eventStream(['done']));
      ended = closed(res);
      const junk = Buffer.alloc(16 * 1024, 0x41);
      while (!res.destroyed) {
        sent += junk.byteLength;
        if (!res.write(junk)) {
          await new Promise<void>((resolve) => {
            res.once('drain', resolve);
            res.once('close', resolve);
          });
        }
      }
    });
    const result = await invoke(inputFor(server.url, { settings: SLOW }), quietContext());
    expect(result.payload).toBe('done');
    await ended;
    // What the server managed to write before the socket closed: its buffers plus the drain bound.
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  });

  it('still reuses the connection when the body ends right after the completion', async () => {
    server.respond(streamResponse(eventStream(['a'])));
    const before = server.closedSockets();
    for (let i = 0; i < 3; i++) await invoke(inputFor(server.url), quietContext());
    expect(server.closedSockets()).toBe(before);
  });
});

describe('success depends on what was asked', () => {
  const noRetry = { retry: { maxAttempts: 1 } };

  it('fails a RequestResponse call answered 204, naming the status it expected', async () => {
    server.respond((_req, res) => void res.writeHead(204).end());
    const input = inputFor(server.url, { settings: noRetry });
    await expect(invoke(input, quietContext())).rejects.toMatchObject({
      code: 'SERVICE_ERROR',
      statusCode: 204,
      message: expect.stringContaining('not a success for this call (expected 200)'),
    });
    const events = await collect(invokeStream(input, quietContext()));
    expect(events.at(-1)).toMatchObject({ type: 'error', statusCode: 204 });
    const report = await testRequest(input, quietContext());
    expect(report.outcome).toBe('failed');
  });

  it('fails a DryRun answered 200 with a stream, and passes a DryRun answered 204', async () => {
    const dryRun = inputFor(server.url, {
      headers: { 'X-Amz-Invocation-Type': 'DryRun' },
      settings: noRetry,
    });
    server.respond(streamResponse(eventStream(['ran anyway'])));
    await expect(invoke(dryRun, quietContext())).rejects.toMatchObject({ statusCode: 200 });
    server.respond((_req, res) => void res.writeHead(204).end());
    expect((await invoke(dryRun, quietContext())).statusCode).toBe(204);
    expect((await testRequest(dryRun, quietContext())).outcome).toBe('dry-run');
  });

  it('fails any other 2xx, such as 299', async () => {
    server.respond((_req, res) => {
      res.writeHead(299, streamHeaders());
      res.end(eventStream(['x']));
    });
    await expect(invoke(inputFor(server.url, { settings: noRetry }), quietContext())).rejects.toMatchObject({
      code: 'SERVICE_ERROR',
      statusCode: 299,
    });
  });
});
