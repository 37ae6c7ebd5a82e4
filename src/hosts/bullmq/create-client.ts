/**
 * `createClient`: what a workflow engine's step uses to hand calls to the workers — enqueue a task
 * input (or a flow of several), read a job's events from any process while it streams, wait for
 * its result, cancel it.
 */
import { randomUUID } from 'node:crypto';
import { FlowProducer, Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  FunctionError,
  type LoadedManifest,
  loadManifest,
  TaskError,
  type TaskErrorCode,
} from '../../index.js';
import { flowOf, TASK_JOB } from './flow-jobs.js';
import { type JobEvent, jobKeys } from './job-event.js';
import { DEFAULT_STREAM_LIMITS, lastEvent, readEvents } from './job-stream.js';
import { checkQueueInput, retryJobOptions } from './queue-input.js';
import { checkQueueName, holdConnection, requireOption } from './redis-connection.js';
import type { TaskJobResult } from './run-task-job.js';

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** A `redis://` URL, or an ioredis client (created with `maxRetriesPerRequest: null`) that the host owns. */
  connection: string | Redis;
  queue: string;
  /** The definition inputs are checked against before they are enqueued; default the package's. */
  manifest?: string | LoadedManifest;
  /** How long one blocking stream read waits before the reader checks the job's state; default 1000 ms. */
  blockMs?: number;
}

/** Options of one job. */
export interface EnqueueOptions {
  /** Your own job id (no `:`); default a random UUID. */
  jobId?: string;
  priority?: number;
  /** Milliseconds before the job may start. */
  delay?: number;
}

/** An enqueued (or looked-up) job. */
export interface EnqueuedJob {
  jobId: string;
  /**
   * Every event of the job's stream from the first, however late iterated; ends after `complete` or
   * `error`. Each iteration reads afresh. Chunk `data` is in the encoding the job asked for: utf8 text
   * (a character split across chunks is whole in the later one), base64 text, or with `bytes` a Buffer.
   */
  events: AsyncIterable<JobEvent>;
  /** The aggregated result, or the `complete` event of a chunked call; rejects with a `TaskError` naming the code. */
  result: Promise<TaskJobResult>;
}

/** An enqueued flow: its task jobs and the parent that combines their results. */
export interface EnqueuedFlow {
  jobId: string;
  children: EnqueuedJob[];
  /** What the worker's `combine` returned; default `{ results }` in the order of the inputs. */
  result: Promise<unknown>;
}

/** A client of one queue. */
export interface Client {
  enqueue(input: unknown, options?: EnqueueOptions): Promise<EnqueuedJob>;
  enqueueFlow(inputs: unknown[], options?: Omit<EnqueueOptions, 'delay'>): Promise<EnqueuedFlow>;
  /** A job enqueued elsewhere, by id: read its events, wait for its result. */
  job(jobId: string): EnqueuedJob;
  /** Abort the job's call wherever it runs (or fail it when it starts, if it has not yet). */
  cancel(jobId: string): Promise<void>;
  close(): Promise<void>;
}

const KEEP = { age: DEFAULT_STREAM_LIMITS.ttlSeconds };

/**
 * A client of a queue.
 * @example
 * const client = createClient({ connection: 'redis://127.0.0.1:6379', queue: 'tasks' });
 * const { events, result } = await client.enqueue({ path: { FunctionName: 'tokens' }, settings: { outputMode: 'chunked' } });
 * for await (const event of events) if (event.type === 'chunk') process.stdout.write(event.data);
 * console.log(await result); await client.close();
 */
export function createClient(options: ClientOptions): Client {
  checkQueueName(options.queue);
  const held = holdConnection(options.connection);
  const keys = jobKeys(options.queue);
  const queue = new Queue(options.queue, { connection: held.redis });
  let queueEvents: QueueEvents | undefined;
  let eventsConnection: Redis | undefined;
  let flows: FlowProducer | undefined;
  const manifest = typeof options.manifest === 'string' ? loadManifest(options.manifest) : options.manifest;
  const check = (input: unknown) => checkQueueInput(input, manifest);

  function events(jobId: string): AsyncIterable<JobEvent> {
    const endedWithout = async (): Promise<string | undefined> => {
      const job = await Job.fromId(queue, jobId);
      if (job === undefined) return `job ${jobId} no longer exists`;
      const state = await job.getState();
      if (state !== 'completed' && state !== 'failed') return undefined;
      return job.failedReason ? `${state}: ${job.failedReason}` : state;
    };
    return {
      async *[Symbol.asyncIterator]() {
        const reader = held.redis.duplicate();
        try {
          yield* readEvents(reader, keys.events(jobId), endedWithout, { blockMs: options.blockMs ?? 1000 });
        } finally {
          reader.disconnect();
        }
      },
    };
  }

  async function result(jobId: string): Promise<TaskJobResult> {
    if (queueEvents === undefined) {
      eventsConnection = held.redis.duplicate();
      queueEvents = new QueueEvents(options.queue, { connection: eventsConnection });
      // Two listeners per awaited result: a host waiting for thousands of jobs is not a leak.
      queueEvents.setMaxListeners(0);
    }
    const job = await Job.fromId(queue, jobId);
    if (job === undefined) throw new TaskError('STREAM_INCOMPLETE', `Job ${jobId} does not exist`);
    try {
      return (await job.waitUntilFinished(queueEvents)) as TaskJobResult;
    } catch (error) {
      throw failureOf(jobId, await lastEvent(held.redis, keys.events(jobId)), error);
    }
  }

  function handle(jobId: string): EnqueuedJob {
    // Waiting starts when `result` is first read: a caller that only reads events holds no listener.
    let pending: Promise<TaskJobResult> | undefined;
    return {
      jobId,
      events: events(jobId),
      get result() {
        pending ??= result(jobId);
        return pending;
      },
    };
  }

  return {
    async enqueue(input, enqueueOptions = {}) {
      const jobId = enqueueOptions.jobId ?? randomUUID();
      await queue.add(
        TASK_JOB,
        { input },
        {
          ...retryJobOptions(check(input)),
          ...enqueueOptions,
          jobId,
          removeOnComplete: KEEP,
          removeOnFail: KEEP,
        },
      );
      return handle(jobId);
    },
    async enqueueFlow(inputs, flowOptions = {}) {
      requireOption(Array.isArray(inputs) && inputs.length > 0, 'inputs', 'must be a non-empty array');
      const children = inputs.map((input) => ({
        id: randomUUID(),
        input,
        opts: { ...retryJobOptions(check(input)), removeOnComplete: KEEP, removeOnFail: KEEP },
      }));
      const parentId = flowOptions.jobId ?? randomUUID();
      flows ??= new FlowProducer({ connection: held.redis });
      const flow = flowOf(options.queue, parentId, children);
      await flows.add({
        ...flow,
        opts: { ...flow.opts, ...flowOptions, removeOnComplete: KEEP, removeOnFail: KEEP },
      });
      const parent = handle(parentId);
      return { jobId: parentId, children: children.map((child) => handle(child.id)), result: parent.result };
    },
    job: handle,
    async cancel(jobId) {
      await held.redis
        .multi()
        .set(keys.cancelled(jobId), '1', 'EX', DEFAULT_STREAM_LIMITS.ttlSeconds)
        .publish(keys.cancelChannel, jobId)
        .exec();
    },
    async close() {
      await queueEvents?.close();
      eventsConnection?.disconnect();
      await flows?.close();
      await queue.close();
      await held.release();
    },
  };
}

/** The job's failure as a `TaskError`, from the final event its worker wrote (or BullMQ's reason). */
function failureOf(jobId: string, last: JobEvent | undefined, error: unknown): TaskError {
  const details = { jobId };
  if (last?.type === 'complete' && last.functionError) {
    const { errorCode, errorDetails } = last.functionError;
    return new FunctionError(errorCode, errorDetails, last.logResult, { details });
  }
  if (last?.type === 'error') {
    return new TaskError(last.code as TaskErrorCode, last.message, {
      retryable: last.retryable,
      chunksDelivered: last.chunksDelivered,
      details,
    });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new TaskError('STREAM_INCOMPLETE', `Job ${jobId} failed without a final event: ${reason}`, {
    cause: error,
    details,
  });
}
