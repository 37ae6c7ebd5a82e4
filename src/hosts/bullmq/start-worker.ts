/**
 * `startWorker`: a BullMQ worker whose jobs carry task inputs. Any number of them, on any machines,
 * take jobs from one queue in Redis; BullMQ spreads the jobs, renews each job's lock while it runs,
 * and hands a job whose worker died to another (its stalled-job check).
 */
import { type WorkerOptions as BullWorkerOptions, type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  createExecutor,
  type ExecuteContext,
  type Executor,
  type LoadedManifest,
  withDefaults,
} from '../../index.js';
import {
  COMBINE_JOB,
  type Combine,
  type CombineJobData,
  collectResults,
  combineChildren,
} from './flow-jobs.js';
import { jobKeys } from './job-event.js';
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from './job-stream.js';
import { BACKOFF_TYPE, backoffDelay, type RetryHint } from './queue-input.js';
import { checkQueueName, holdConnection, requireOption } from './redis-connection.js';
import { runTaskJob, type TaskJobData, type TaskJobRunner } from './run-task-job.js';

/** Options of {@link startWorker}. */
export interface StartWorkerOptions {
  /** A `redis://` URL, or an ioredis client (created with `maxRetriesPerRequest: null`) that the host owns. */
  connection: string | Redis;
  /** The queue's name (letters, digits, `_`, `-`, `.`). */
  queue: string;
  /** Jobs run at once by this worker; default 1. */
  concurrency?: number;
  /** The definition (a path or a loaded one); default the package's. Ignored when `executor` is given. */
  manifest?: string | LoadedManifest;
  /** The executor to run calls with; default `createExecutor({ manifest })`. */
  executor?: Executor;
  /** Passed to every call: credentials, environment, logger. Its `signal` is replaced by the job's. */
  context?: Omit<ExecuteContext, 'signal'>;
  /** Bounds of each job's event stream. */
  stream?: Partial<StreamLimits>;
  /** How a flow's parent combines its children's results; default `{ results }`. */
  combine?: Combine;
  /** Least time between two progress updates of a job; default 200 ms. */
  progressIntervalMs?: number;
  /** BullMQ's own worker options (`lockDuration`, `stalledInterval`, `maxStalledCount`, …). */
  bullmq?: Omit<BullWorkerOptions, 'connection' | 'concurrency' | 'autorun' | 'settings'>;
  /** Errors of the worker itself (Redis connection, lock renewal); default a process warning. */
  onError?: (error: Error) => void;
}

/** A running worker. */
export interface WorkerHandle {
  /** The BullMQ worker, for its events (`completed`, `failed`, `stalled`, …). */
  readonly worker: Worker;
  /**
   * Stop taking jobs and wait for those in flight to finish (SIGTERM's graceful drain); with
   * `force`, abort them instead (their jobs are then stalled and run again elsewhere).
   */
  close(options?: { force?: boolean }): Promise<void>;
}

/**
 * Start a worker on a queue; it takes jobs until closed.
 * @example
 * const handle = await startWorker({ connection: 'redis://127.0.0.1:6379', queue: 'tasks', concurrency: 8 });
 * process.once('SIGTERM', () => void handle.close());
 */
export async function startWorker(options: StartWorkerOptions): Promise<WorkerHandle> {
  checkWorkerOptions(options);
  const held = holdConnection(options.connection);
  const keys = jobKeys(options.queue);
  const cancelledHere = new Set<string>();
  const runner: TaskJobRunner = {
    executor:
      options.executor ??
      createExecutor(options.manifest === undefined ? {} : { manifest: options.manifest }),
    redis: held.redis,
    keys,
    limits: { ...DEFAULT_STREAM_LIMITS, ...options.stream },
    context: options.context ?? {},
    progressIntervalMs: options.progressIntervalMs ?? 200,
    cancelled: async (jobId) =>
      cancelledHere.has(jobId) || (await held.redis.exists(keys.cancelled(jobId))) === 1,
  };
  const combine = options.combine ?? collectResults;
  const worker = new Worker(
    options.queue,
    async (job: Job, _token?: string, signal?: AbortSignal) =>
      job.name === COMBINE_JOB
        ? combineChildren(job as Job<CombineJobData>, combine)
        : runTaskJob(job as Job<TaskJobData>, signal, runner),
    {
      ...options.bullmq,
      connection: held.redis,
      concurrency: options.concurrency ?? 1,
      autorun: false,
      settings: { backoffStrategy: backoff(runner.executor) },
    },
  );
  worker.on('error', options.onError ?? ((error) => process.emitWarning(error)));

  // Cancellations are published by clients anywhere; the worker running the job aborts its call.
  const subscriber = held.redis.duplicate();
  subscriber.on('error', (error: Error) => worker.emit('error', error));
  await subscriber.subscribe(keys.cancelChannel);
  subscriber.on('message', (_channel: string, jobId: string) => {
    // Not running here (yet): remember it a while, in case this worker is just taking the job.
    if (worker.cancelJob(jobId, 'cancelled')) return;
    cancelledHere.add(jobId);
    setTimeout(() => cancelledHere.delete(jobId), 60_000).unref();
  });

  void worker.run().catch((error: unknown) => worker.emit('error', error as Error));
  await worker.waitUntilReady();
  return {
    worker,
    async close(closeOptions = {}) {
      await worker.close(closeOptions.force === true);
      await subscriber.quit().catch(() => subscriber.disconnect());
      await held.release();
    },
  };
}

function checkWorkerOptions(options: StartWorkerOptions): void {
  checkQueueName(options.queue);
  const { concurrency } = options;
  requireOption(
    concurrency === undefined || (Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 1000),
    'concurrency',
    'must be an integer from 1 to 1000',
  );
}

/** The backoff between attempts, from each job's own retry policy (and the service's Retry-After). */
function backoff(executor: Executor) {
  return (attemptsMade: number, type?: string, error?: Error, job?: { data: unknown }): number => {
    if (type !== BACKOFF_TYPE) return 0;
    const input = withDefaults((job?.data as TaskJobData | undefined)?.input, executor.manifest);
    return backoffDelay(attemptsMade, input.settings.retry, (error as { retryHint?: RetryHint }).retryHint);
  };
}
