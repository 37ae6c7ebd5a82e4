// The BullMQ host in one process against a real Redis and the emulator: both output modes, a late
// consumer, retries through the queue, the no-silent-re-run rule, cancellation, graceful close, a flow.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Job, Queue } from 'bullmq';
import { type Client, createClient, startWorker, type WorkerHandle } from '../../src/hosts/bullmq/index.js';
import { isTaskError } from '../../src/index.js';
import { packagePath } from '../../src/paths.js';
import { collect, expectedText, KEYS, type Services, startServices, taskInput, textOf } from './support.js';

let services: Services;
let worker: WorkerHandle;
let client: Client;
const queue = 'in-process';

beforeAll(async () => {
  services = await startServices();
  worker = await startWorker({
    connection: services.redis.url,
    queue,
    concurrency: 4,
    context: { credentials: KEYS },
  });
  client = createClient({ connection: services.redis.url, queue });
});
afterAll(async () => {
  await client.close();
  await worker.close();
  await services.stop();
});

describe('startWorker and createClient', () => {
  it('runs an aggregated job: the result is the return value, the stream ends with a complete summary', async () => {
    const job = await client.enqueue(
      taskInput(services.emulator, 'chunks', { count: 3, size: 4 }, 'aggregated'),
    );
    const result = await job.result;
    expect(result).toMatchObject({ statusCode: 200, payload: 'aaaabbbbcccc', bytes: 12 });
    const events = await collect(job.events);
    expect(events.map((e) => e.type)).toEqual(['complete']);
  });

  it('streams a chunked job to a consumer that subscribes after it finished, from the first event', async () => {
    const payload = { count: 5, size: 10, seed: 3 };
    const job = await client.enqueue(taskInput(services.emulator, 'chunks', payload));
    const summary = await job.result;
    const events = await collect(client.job(job.jobId).events);
    expect(events[0]).toMatchObject({ type: 'start', attempt: 1 });
    expect(events.at(-1)).toMatchObject({ type: 'complete', bytes: 50, attempt: 1 });
    expect(textOf(events)).toBe(expectedText(payload));
    expect(summary).toMatchObject({ type: 'complete', bytes: 50 });
  });

  it('rejects invalid input and credentials in the input before anything reaches Redis, naming the field', async () => {
    await expect(client.enqueue({ path: {} })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      issues: [expect.objectContaining({ path: 'path.FunctionName' })],
    });
    const withKeys = taskInput(services.emulator, 'chunks', {}, 'chunked', { credentials: KEYS });
    await expect(client.enqueue(withKeys)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      issues: [expect.objectContaining({ path: 'settings.credentials' })],
    });
  });

  it('fails a job whose input was enqueued past the client without retry, naming the field', async () => {
    const queueOf = new Queue(queue, { connection: { url: services.redis.url } });
    try {
      const added = await queueOf.add('lambda-stream', { input: { path: {} } }, { attempts: 3 });
      const job = client.job(String(added.id));
      await expect(job.result).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expect.stringContaining('FunctionName'),
      });
      expect((await Job.fromId(queueOf, String(added.id)))?.attemptsMade).toBe(1);
    } finally {
      await queueOf.close();
    }
  });

  it('fails a function error without retry', async () => {
    const job = await client.enqueue(taskInput(services.emulator, 'fails', {}, 'aggregated'));
    await expect(job.result).rejects.toMatchObject({ code: 'FUNCTION_ERROR', errorCode: 'Error' });
    const events = await collect(job.events);
    expect(events).toEqual([
      expect.objectContaining({ type: 'complete', attempt: 1, functionError: expect.anything() }),
    ]);
  });

  it('retries a throttled call through the queue, and the stream marks the restart', async () => {
    const job = await client.enqueue(
      taskInput(services.emulator, 'throttled', { count: 2, size: 3 }, 'chunked', {
        retry: { baseDelayMs: 10 },
      }),
    );
    await expect(job.result).resolves.toMatchObject({ type: 'complete', bytes: 6 });
    const events = await collect(job.events);
    expect(events.map((e) => `${e.attempt}:${e.type}`)).toEqual([
      '1:retry',
      '2:restart',
      '2:start',
      '2:chunk',
      '2:chunk',
      '2:complete',
    ]);
    expect(events[0]).toMatchObject({ code: 'THROTTLED' });
    expect(events[1]).toMatchObject({ reason: 'retry', previousAttempt: 1, previousChunks: 0 });
  });

  it('does not re-run a job that had published chunks; its failure says how many', async () => {
    const job = await client.enqueue(taskInput(services.emulator, 'truncated', { count: 5, size: 3 }));
    const failure = await job.result.catch((error: unknown) => error);
    expect(isTaskError(failure)).toBe(true);
    const events = await collect(job.events);
    // The body ends cleanly halfway through the third message: two chunks always arrive first.
    const chunks = events.filter((e) => e.type === 'chunk').length;
    expect(chunks).toBe(2);
    expect(failure).toMatchObject({ code: 'STREAM_TRUNCATED', chunksDelivered: 2 });
    expect((failure as Error).message).toContain('2 chunk(s) had been published: the job is not run again');
    expect(events.filter((e) => e.type === 'restart' || e.type === 'retry')).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'error', chunksDelivered: 2, attempt: 1 });
  });

  it('cancels a running job: its call is aborted on the worker', async () => {
    const job = await client.enqueue(
      taskInput(services.emulator, 'chunks', { count: 1000, size: 8, delayMs: 20 }),
    );
    for await (const event of job.events) {
      if (event.type === 'chunk') break;
    }
    await client.cancel(job.jobId);
    await expect(job.result).rejects.toMatchObject({ code: 'ABORTED' });
    const events = await collect(job.events);
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'ABORTED' });
    expect(events.filter((e) => e.type === 'chunk').length).toBeLessThan(1000);
  });

  it('fails a job cancelled before any worker took it, as soon as one does', async () => {
    const job = await client.enqueue(taskInput(services.emulator, 'chunks', { count: 1, size: 1 }), {
      delay: 300,
    });
    await client.cancel(job.jobId);
    await expect(job.result).rejects.toMatchObject({
      code: 'ABORTED',
      message: expect.stringContaining('before it started'),
    });
    expect(await collect(job.events)).toEqual([
      expect.objectContaining({ type: 'error', code: 'ABORTED', chunksDelivered: 0 }),
    ]);
  });

  it('runs a flow: the parent waits for its task jobs and combines their results in input order', async () => {
    const flow = await client.enqueueFlow([
      taskInput(services.emulator, 'chunks', { count: 2, size: 2 }, 'aggregated'),
      taskInput(services.emulator, 'chunks', { count: 1, size: 5, seed: 1 }, 'chunked'),
    ]);
    const combined = (await flow.result) as { results: Array<Record<string, unknown>> };
    expect(combined.results[0]).toMatchObject({ payload: 'aabb' });
    expect(combined.results[1]).toMatchObject({ type: 'complete', bytes: 5 });
    const [, second] = flow.children;
    expect(second).toBeDefined();
    if (second !== undefined) expect(textOf(await collect(second.events))).toBe('bbbbb');
  });

  it('close() drains: a job in flight completes before the worker stops', async () => {
    const draining = await startWorker({
      connection: services.redis.url,
      queue: 'drain',
      context: { credentials: KEYS },
    });
    const drainClient = createClient({ connection: services.redis.url, queue: 'drain' });
    const job = await drainClient.enqueue(
      taskInput(services.emulator, 'chunks', { count: 20, size: 4, delayMs: 30 }),
    );
    for await (const event of job.events) if (event.type === 'chunk') break;
    await draining.close();
    await expect(job.result).resolves.toMatchObject({ type: 'complete', bytes: 80 });
    await drainClient.close();
  });

  it('runs another definition given to the worker and the client (plain Invoke)', async () => {
    // A plain-Invoke server: the path and the plain body prove the worker ran the definition it was given.
    const paths: string[] = [];
    const server = createServer((req, res) => {
      paths.push(`${req.method} ${req.url}`);
      req.resume().on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' });
        res.end('{"answer":42}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const manifest = packagePath('definitions', 'invoke.manifest.json');
    const invokeWorker = await startWorker({
      connection: services.redis.url,
      queue: 'invoke',
      manifest,
      context: { credentials: KEYS },
    });
    const invokeClient = createClient({ connection: services.redis.url, queue: 'invoke', manifest });
    try {
      const input = {
        path: { FunctionName: 'answer' },
        body: { Payload: {} },
        settings: { endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1' },
      };
      const job = await invokeClient.enqueue(input);
      await expect(job.result).resolves.toMatchObject({ statusCode: 200, payload: { answer: 42 } });
      expect(paths).toEqual(['POST /2015-03-31/functions/answer/invocations']);
    } finally {
      await invokeClient.close();
      await invokeWorker.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
