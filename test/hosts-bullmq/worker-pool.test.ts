// Three `lambda-stream worker` processes (the built CLI) on one queue in a real Redis, calls served
// by the emulator: 1,000 mixed jobs with every chunk accounted for, a worker killed mid-stream and its
// job recovered and marked restarted, a cancellation across processes, a flow, a downstream consumer
// in another process, and a graceful SIGTERM drain with a call in flight.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Job, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { type Client, createClient, type EnqueuedJob, type JobEvent } from '../../src/hosts/bullmq/index.js';
import { packagePath, packageRoot } from '../../src/paths.js';
import { collect, expectedText, KEYS, type Services, startServices, taskInput, textOf } from './support.js';

const exec = promisify(execFile);
const QUEUE = 'pool';
const bin = packagePath('dist', 'hosts', 'cli', 'bin.js');

interface WorkerProcess {
  child: ChildProcess;
  stderr: string;
  exited: Promise<number | null>;
}

let services: Services;
let client: Client;
let queue: Queue;
const workers: WorkerProcess[] = [];

function startWorkerProcess(): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    [
      bin,
      'worker',
      '--redis',
      services.redis.url,
      '--queue',
      QUEUE,
      '--concurrency',
      '16',
      '--lock-duration',
      '4000',
      '--stalled-interval',
      '1000',
    ],
    {
      cwd: packageRoot,
      env: {
        PATH: process.env.PATH ?? '',
        AWS_ACCESS_KEY_ID: KEYS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const worker: WorkerProcess = {
    child,
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (data: Buffer) => {
      worker.stderr += data.toString('utf8');
      if (worker.stderr.includes('ready on queue')) resolve(worker);
    });
    void worker.exited.then((code) =>
      reject(new Error(`worker exited (${code}) before it was ready: ${worker.stderr}`)),
    );
  });
}

/** Run `task` over `items`, at most `limit` at once. */
async function eachLimited<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: limit }, async () => {
    while (next < items.length) await task(items[next++] as T);
  });
  await Promise.all(lanes);
}

beforeAll(async () => {
  services = await startServices();
  client = createClient({ connection: services.redis.url, queue: QUEUE });
  queue = new Queue(QUEUE, { connection: { url: services.redis.url } });
  workers.push(...(await Promise.all([startWorkerProcess(), startWorkerProcess(), startWorkerProcess()])));
}, 60_000);

afterAll(async () => {
  for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
  await Promise.all(workers.map((worker) => worker.exited));
  await queue?.close();
  await client?.close();
  await services?.stop();
});

interface Planned {
  job: EnqueuedJob;
  mode: 'aggregated' | 'chunked';
  payload: { count: number; size: number; seed: number };
}

function plan(i: number): Omit<Planned, 'job'> {
  // Mostly small calls; every 50th writes 16 chunks of 16 KiB.
  const payload =
    i % 50 === 0
      ? { count: 16, size: 16_384, seed: i }
      : { count: 1 + (i % 8), size: 8 + ((i * 37) % 200), seed: i };
  return { mode: i % 2 === 0 ? 'chunked' : 'aggregated', payload };
}

describe('lambda-stream worker: three processes on one queue', () => {
  it('runs 1,000 mixed jobs and accounts for every chunk', async () => {
    const started = performance.now();
    const planned: Planned[] = [];
    for (let i = 0; i < 1000; i += 1) {
      const { mode, payload } = plan(i);
      planned.push({
        mode,
        payload,
        job: await client.enqueue(taskInput(services.emulator, 'chunks', payload, mode)),
      });
    }
    let chunks = 0;
    let bytes = 0;
    let rerun = 0;
    const markers: string[] = [];
    await eachLimited(planned, 32, async ({ job, mode, payload }) => {
      const text = expectedText(payload);
      if (mode === 'aggregated') {
        const result = await job.result;
        expect(result).toMatchObject({ payload: text, bytes: text.length });
        chunks += result.chunks;
        bytes += result.bytes;
        return;
      }
      const events = await collect(job.events);
      // Under load an attempt may fail before its first chunk and run again: the stream says so.
      const complete = events.at(-1);
      const final = complete?.attempt ?? 1;
      for (let attempt = 2; attempt <= final; attempt += 1) {
        expect(events).toContainEqual(expect.objectContaining({ type: 'restart', attempt }));
      }
      if (final > 1) rerun += 1;
      for (const e of events) {
        if (e.type === 'retry') markers.push(`retry ${e.code}`);
        if (e.type === 'restart') markers.push(`restart ${e.reason}`);
      }
      const chunkEvents = events.filter((e) => e.type === 'chunk' && e.attempt === final);
      expect(chunkEvents.map((e) => (e.type === 'chunk' ? e.seq : -1))).toEqual(
        chunkEvents.map((_, seq) => seq),
      );
      expect(textOf(events, final)).toBe(text);
      expect(complete).toMatchObject({ type: 'complete', chunks: chunkEvents.length, bytes: text.length });
      chunks += chunkEvents.length;
      bytes += text.length;
    });
    const seconds = (performance.now() - started) / 1000;
    const counts = await queue.getJobCounts('completed', 'failed');
    expect(counts).toMatchObject({ completed: 1000, failed: 0 });
    const byWorker = new Set(
      (await queue.getJobs(['completed'], 0, 999))
        .map((job) => job.processedBy)
        .filter((name) => name !== undefined),
    );
    expect(byWorker.size).toBe(3);
    process.stdout.write(
      `worker pool: 1000 jobs in ${seconds.toFixed(1)} s (${(1000 / seconds).toFixed(0)} jobs/s), ` +
        `${chunks} chunks / ${bytes} bytes accounted for, ${rerun} chunked job(s) run again after a marked restart${markers.length > 0 ? ` (${markers.join(', ')})` : ''}\n`,
    );
  }, 180_000);

  it('recovers a job whose worker was killed mid-stream, and its stream marks the restart', async () => {
    const payload = { count: 30, size: 6, seed: 1, delayMs: 100 };
    const job = await client.enqueue(taskInput(services.emulator, 'chunks', payload));
    const events: JobEvent[] = [];
    let killedAt = 0;
    let victim: WorkerProcess | undefined;
    for await (const event of job.events) {
      events.push(event);
      if (event.type === 'chunk' && event.seq === 2 && victim === undefined) {
        const running = await Job.fromId(queue, job.jobId);
        victim = workers.find((w) => running?.processedBy?.endsWith(`:${w.child.pid}`));
        expect(victim).toBeDefined();
        killedAt = performance.now();
        victim?.child.kill('SIGKILL');
      }
      if (event.type === 'restart') {
        process.stdout.write(
          `worker pool: killed worker's job restarted after ${((performance.now() - killedAt) / 1000).toFixed(2)} s\n`,
        );
      }
    }
    expect(await victim?.exited).toBeNull();
    const restart = events.find((e) => e.type === 'restart');
    expect(restart).toMatchObject({ type: 'restart', reason: 'stalled', attempt: 2, previousAttempt: 1 });
    expect(restart?.type === 'restart' && restart.previousChunks).toBeGreaterThanOrEqual(3);
    expect(textOf(events, 2)).toBe(expectedText(payload));
    expect(events.at(-1)).toMatchObject({ type: 'complete', attempt: 2 });
    await expect(job.result).resolves.toMatchObject({ type: 'complete', bytes: 180 });
    workers.push(await startWorkerProcess());
  }, 60_000);

  it('cancels a job running in another process', async () => {
    const job = await client.enqueue(
      taskInput(services.emulator, 'chunks', { count: 500, size: 4, delayMs: 20 }),
    );
    for await (const event of job.events) if (event.type === 'chunk') break;
    await client.cancel(job.jobId);
    await expect(job.result).rejects.toMatchObject({ code: 'ABORTED' });
  }, 30_000);

  it('runs a flow across the workers and feeds a consumer in another process (the README examples)', async () => {
    const flow = await client.enqueueFlow([
      taskInput(services.emulator, 'chunks', { count: 2, size: 3 }, 'aggregated'),
      taskInput(services.emulator, 'chunks', { count: 3, size: 2, seed: 5 }),
    ]);
    await expect(flow.result).resolves.toMatchObject({
      results: [{ payload: 'aaabbb' }, { type: 'complete', bytes: 6 }],
    });

    const example = (name: string) => packagePath('examples', 'scaling-out', name);
    const input = JSON.stringify(taskInput(services.emulator, 'chunks', { count: 5, size: 3, delayMs: 20 }));
    const enqueued = await exec(
      process.execPath,
      [example('enqueue.mjs'), services.redis.url, QUEUE, input],
      { cwd: packageRoot },
    );
    const consumed = await exec(
      process.execPath,
      [example('consumer.mjs'), services.redis.url, QUEUE, enqueued.stdout.trim()],
      {
        cwd: packageRoot,
      },
    );
    expect(consumed.stdout).toBe(expectedText({ count: 5, size: 3 }));
  }, 30_000);

  it('drains on SIGTERM: no new jobs, the call in flight completes, the process exits 0', async () => {
    const job = await client.enqueue(
      taskInput(services.emulator, 'chunks', { count: 25, size: 4, delayMs: 80 }),
    );
    for await (const event of job.events) if (event.type === 'chunk') break;
    expect(await (await Job.fromId(queue, job.jobId))?.getState()).toBe('active');
    const alive = workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    for (const worker of alive) worker.child.kill('SIGTERM');
    expect(await Promise.all(alive.map((w) => w.exited))).toEqual(alive.map(() => 0));
    await expect(job.result).resolves.toMatchObject({ type: 'complete', bytes: 100 });
    for (const worker of alive) expect(worker.stderr).toMatch(/draining[\s\S]*stopped \(\d+ completed/);
    // Nothing takes jobs now: one enqueued after the drain waits.
    const late = await client.enqueue(taskInput(services.emulator, 'chunks', { count: 1, size: 1 }));
    expect(await (await Job.fromId(queue, late.jobId))?.getState()).toBe('waiting');
  }, 60_000);

  it('leaves no credential in Redis or in what the workers printed', async () => {
    const redis = new Redis(services.redis.url);
    try {
      const stored: string[] = [];
      for (const key of await redis.keys('*')) {
        const type = await redis.type(key);
        if (type === 'string') stored.push((await redis.get(key)) ?? '');
        else if (type === 'hash') stored.push(JSON.stringify(await redis.hgetall(key)));
        else if (type === 'stream') stored.push(JSON.stringify(await redis.xrange(key, '-', '+')));
        else if (type === 'list') stored.push(JSON.stringify(await redis.lrange(key, 0, -1)));
        else if (type === 'zset') stored.push(JSON.stringify(await redis.zrange(key, '0', '-1')));
      }
      expect(stored.length).toBeGreaterThan(1000);
      const everything = stored.join('\n') + workers.map((w) => w.stderr).join('\n');
      expect(everything).not.toContain(KEYS.secretAccessKey);
      expect(everything).not.toContain(KEYS.accessKeyId);
    } finally {
      redis.disconnect();
    }
  });
});
