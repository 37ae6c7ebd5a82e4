// A job's Redis stream read by a consumer: live while it is written, never waiting for ever on a job
// that ended without a final event, and loud about entries trimmed before they were read.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { JobEvent } from '../../src/hosts/bullmq/index.js';
import { appendEvent, readEvents } from '../../src/hosts/bullmq/job-stream.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';

let server: RedisServer;
let redis: Redis;
beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

const start: JobEvent = { type: 'start', statusCode: 200, elapsedMs: 1, attempt: 1 };
const chunk = (seq: number, attempt = 1): JobEvent => ({
  type: 'chunk',
  seq,
  offset: seq,
  size: 1,
  elapsedMs: 1,
  encoding: 'utf8',
  data: 'x',
  attempt,
});

async function readAll(key: string, endedWithout: () => Promise<string | undefined>): Promise<JobEvent[]> {
  const reader = redis.duplicate();
  try {
    const out: JobEvent[] = [];
    for await (const event of readEvents(reader, key, endedWithout, { blockMs: 50 })) out.push(event);
    return out;
  } finally {
    reader.disconnect();
  }
}

describe('readEvents', () => {
  it('yields events as they are written, ending after the final one', async () => {
    const reading = readAll('live', async () => undefined);
    await appendEvent(redis, 'live', start);
    await new Promise((resolve) => setTimeout(resolve, 120));
    await appendEvent(redis, 'live', chunk(0));
    await appendEvent(redis, 'live', {
      type: 'complete',
      statusCode: 200,
      bytes: 1,
      chunks: 1,
      totalMs: 2,
      attempt: 1,
    });
    expect((await reading).map((e) => e.type)).toEqual(['start', 'chunk', 'complete']);
    expect(await redis.ttl('live')).toBeGreaterThan(0);
  });

  it('ends with an error event when the job ended without a final event (no worker wrote one)', async () => {
    await appendEvent(redis, 'stalled', start);
    await appendEvent(redis, 'stalled', chunk(0));
    const events = await readAll('stalled', async () => 'failed: job stalled more than allowable limit');
    expect(events.at(-1)).toMatchObject({
      type: 'error',
      code: 'STREAM_INCOMPLETE',
      chunksDelivered: 1,
      message: expect.stringContaining('stalled more than allowable limit'),
    });
  });

  it('follows chunk numbers per attempt (attempts may interleave) and fails on a gap', async () => {
    for (const event of [start, chunk(0), chunk(0, 2), chunk(1), chunk(1, 2)])
      await appendEvent(redis, 'mixed', event);
    await appendEvent(redis, 'mixed', {
      type: 'complete',
      statusCode: 200,
      bytes: 2,
      chunks: 2,
      totalMs: 2,
      attempt: 2,
    });
    expect(await readAll('mixed', async () => undefined)).toHaveLength(6);

    for (const event of [start, chunk(0), chunk(2)]) await appendEvent(redis, 'gap', event);
    await expect(readAll('gap', async () => undefined)).rejects.toMatchObject({ code: 'STREAM_INCOMPLETE' });
  });
});
