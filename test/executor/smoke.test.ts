import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { invoke, invokeStream } from '../../src/execute.js';
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

describe('smoke', () => {
  it('aggregates', async () => {
    server.respond(streamResponse(eventStream(['{"a":', '1}'])));
    const result = await invoke(inputFor(server.url), quietContext());
    expect(result.payload).toEqual({ a: 1 });
    expect(server.requests.at(-1)?.signatureOk).toBe(true);
  });
  it('streams', async () => {
    server.respond(streamResponse(eventStream(['hello ', 'world']), { pieceSize: 1 }));
    const events = await collect(invokeStream(inputFor(server.url), quietContext()));
    expect(events.map((e) => e.type)).toEqual(['start', 'chunk', 'chunk', 'complete']);
  });
});
