import { describe, expect, it } from '@jest/globals';
import { createExecutor } from '../../src/execute.js';
import { eventStream, startStreamServer, streamResponse } from '../support/stream-server.js';
import { inputFor, quietContext } from './helpers.js';

describe('clock skew', () => {
  it('signs again with the service clock after a skew answer, once, and keeps the offset for later calls', async () => {
    // The service's clock is an hour ahead of ours: our first signature looks expired to it.
    const server = await startStreamServer({ now: () => new Date(Date.now() + 3_600_000) });
    try {
      server.respond(streamResponse(eventStream(['in sync'])));
      const executor = createExecutor();
      const retries: string[] = [];
      const result = await executor.invoke(
        inputFor(server.url),
        quietContext({ observer: { onRetry: (r) => retries.push(r.error.code) } }),
      );
      expect(result.payload).toBe('in sync');
      expect(server.requests.map((r) => r.signatureOk)).toEqual([false, true]);
      expect(retries).toEqual(['CLOCK_SKEW']);

      await executor.invoke(inputFor(server.url), quietContext());
      expect(server.requests.map((r) => r.signatureOk)).toEqual([false, true, true]);
    } finally {
      await server.close();
    }
  });

  it('gives up with CLOCK_SKEW when signing again does not help', async () => {
    // The server's clock runs away between calls, so the learned offset is always stale.
    let shift = 0;
    const server = await startStreamServer({
      now: () => {
        shift += 3_600_000;
        return new Date(Date.now() + shift);
      },
    });
    try {
      server.respond(streamResponse(eventStream(['never'])));
      await expect(createExecutor().invoke(inputFor(server.url), quietContext())).rejects.toMatchObject({
        code: 'CLOCK_SKEW',
        statusCode: 403,
      });
      expect(server.requests).toHaveLength(2);
    } finally {
      await server.close();
    }
  });
});
