import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { invoke, invokeStream } from '../../src/execute.js';
import {
  eventStream,
  type Responder,
  type StreamServer,
  startStreamServer,
  streamResponse,
} from '../support/stream-server.js';
import { collect, inputFor, quietContext } from './helpers.js';

// Regression: the executor used to close the response body as soon as it decoded InvokeComplete,
// before the body's end had been read, which destroyed the socket; every call then paid for a new
// TCP connection. Sequential calls must share one keep-alive connection.
let server: StreamServer;
const sockets = new Set<Socket>();
beforeAll(async () => {
  server = await startStreamServer();
  const inner = streamResponse(eventStream(['{"ok":', 'true}']));
  const recording: Responder = (request, res, socket) => {
    sockets.add(socket);
    return inner(request, res, socket);
  };
  server.respond(recording);
});
afterAll(() => server.close());

describe('keep-alive', () => {
  it('reuses one connection across sequential aggregated and chunked calls', async () => {
    for (let i = 0; i < 3; i++) {
      const result = await invoke(inputFor(server.url), quietContext());
      expect(result.payload).toEqual({ ok: true });
      const events = await collect(invokeStream(inputFor(server.url), quietContext()));
      expect(events.at(-1)?.type).toBe('complete');
    }
    expect(server.requests).toHaveLength(6);
    expect(sockets.size).toBe(1);
    expect(server.closedSockets()).toBe(0);
  });
});
