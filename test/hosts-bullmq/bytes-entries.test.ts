// A chunked job's bytes go to Redis as they are: the worker asks the core for `bytes` and writes each
// chunk as a binary field of its stream entry (no text, no base64 made on the worker), and a reader
// gets the encoding the job asked for, event for event what the core gives in-process: utf8 with
// characters split across chunks made whole, base64, or the bytes themselves as Buffers. An
// aggregated job's return value is JSON, so `bytes` is refused there before anything is enqueued.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  type Client,
  createClient,
  type JobEvent,
  startWorker,
  type WorkerHandle,
} from '../../src/hosts/bullmq/index.js';
import { invokeStream, type OutputEvent } from '../../src/index.js';
import { collect, KEYS, type Services, startServices, taskInput } from './support.js';

let services: Services;
let worker: WorkerHandle;
let client: Client;
let redis: Redis;
const queue = 'bytes-entries';

beforeAll(async () => {
  services = await startServices();
  worker = await startWorker({ connection: services.redis.url, queue, context: { credentials: KEYS } });
  client = createClient({ connection: services.redis.url, queue });
  redis = new Redis(services.redis.url);
});
afterAll(async () => {
  redis.disconnect();
  await client.close();
  await worker.close();
  await services.stop();
});

/** 'h', then 'é' (c3 a9), '€' (e2 82 ac) and '😀' (f0 9f 98 80) each split across two chunks. */
const SPLIT = ['68c3', 'a9e2', '82ac', 'f09f', '9880', '0a'];

function bytesInput(hex: string[], settings: Record<string, unknown>) {
  return taskInput(services.emulator, 'bytes', { hex }, 'chunked', settings);
}

/** What the chunks of a call look like in-process, straight from the core. */
async function coreChunks(hex: string[], settings: Record<string, unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const event of invokeStream(bytesInput(hex, settings), { credentials: KEYS }))
    if (event.type === 'chunk') out.push(pick(event));
  return out;
}

function pick(event: OutputEvent | JobEvent): unknown {
  if (event.type !== 'chunk') return event.type;
  return {
    seq: event.seq,
    offset: event.offset,
    size: event.size,
    encoding: event.encoding,
    data: event.data,
  };
}

async function jobChunks(hex: string[], settings: Record<string, unknown>) {
  const job = await client.enqueue(bytesInput(hex, settings));
  await job.result;
  const events = await collect(job.events);
  return { jobId: job.jobId, chunks: events.filter((e) => e.type === 'chunk').map(pick), events };
}

describe('a chunked job stored as bytes', () => {
  it('writes each chunk as a binary field beside its JSON, without the data in the JSON', async () => {
    const { jobId } = await jobChunks(SPLIT, { outputEncoding: 'utf8' });
    const entries = await redis.xrangeBuffer(`lambda-stream:${queue}:${jobId}:events`, '-', '+');
    const chunks = entries
      .map(([, fields]) => fields.map((f) => f))
      .filter((fields) => fields.some((f) => f.toString() === 'd'));
    expect(
      chunks.map((fields) => fields[fields.findIndex((f) => f.toString() === 'd') + 1]!.toString('hex')),
    ).toEqual(SPLIT);
    for (const fields of chunks) {
      const meta = JSON.parse(fields[1]!.toString()) as Record<string, unknown>;
      expect(meta).toMatchObject({ type: 'chunk', encoding: 'utf8' });
      expect(meta).not.toHaveProperty('data');
    }
  });

  it('reads utf8 as the core gives it: a split character whole in the later chunk, never a U+FFFD', async () => {
    const { chunks } = await jobChunks(SPLIT, { outputEncoding: 'utf8' });
    expect(chunks).toEqual(await coreChunks(SPLIT, { outputEncoding: 'utf8' }));
    expect(chunks.map((c) => (c as { data: string }).data)).toEqual(['h', 'é', '€', '', '😀', '\n']);
  });

  it('ends with the core’s zero-size chunk for a character left unfinished at the end', async () => {
    const hex = ['68', 'e282'];
    const { chunks, events } = await jobChunks(hex, { outputEncoding: 'utf8' });
    expect(chunks).toEqual(await coreChunks(hex, { outputEncoding: 'utf8' }));
    expect(chunks.at(-1)).toMatchObject({ size: 0, data: '\ufffd' });
    expect(events.at(-1)?.type).toBe('complete');
  });

  it('reads line framing and base64 as the core gives them', async () => {
    const lines = ['61c3', 'a90a62', '0a63'];
    for (const settings of [
      { outputEncoding: 'utf8', framing: 'line' },
      { outputEncoding: 'base64' },
      { outputEncoding: 'base64', framing: 'line' },
    ]) {
      expect((await jobChunks(lines, settings)).chunks).toEqual(await coreChunks(lines, settings));
    }
  });

  it('gives a bytes job its chunks as Buffers of the exact bytes', async () => {
    const hex = ['00ff', '8081fe', '0a'];
    const { chunks } = await jobChunks(hex, { outputEncoding: 'bytes' });
    const data = chunks.map((c) => (c as { data: unknown }).data);
    expect(data.every((d) => Buffer.isBuffer(d))).toBe(true);
    expect(data.map((d) => (d as Buffer).toString('hex'))).toEqual(hex);
    expect(chunks.map((c) => (c as { encoding: string }).encoding)).toEqual(['bytes', 'bytes', 'bytes']);
  });
});

describe('an aggregated job', () => {
  it('refuses bytes before enqueueing (its return value is JSON), naming the setting', async () => {
    const input = taskInput(services.emulator, 'bytes', { hex: ['00'] }, 'aggregated', {
      outputEncoding: 'bytes',
    });
    await expect(client.enqueue(input)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining(
        "settings.outputEncoding: 'bytes' gives Uint8Array data, which an aggregated job",
      ),
      issues: [expect.objectContaining({ path: 'settings.outputEncoding' })],
    });
    await expect(client.enqueueFlow([input])).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('is failed by the worker too when enqueued past the client', async () => {
    const queueOf = new Queue(queue, { connection: { url: services.redis.url } });
    try {
      const input = taskInput(services.emulator, 'bytes', { hex: ['00'] }, 'aggregated', {
        outputEncoding: 'bytes',
      });
      const added = await queueOf.add('lambda-stream', { input });
      await expect(client.job(String(added.id)).result).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringContaining('settings.outputEncoding'),
      });
    } finally {
      await queueOf.close();
    }
  });
});
