/**
 * One attempt of one task job on a worker: check the input, mark a restart when an earlier attempt
 * had written to the stream, run the call, publish its events as they arrive, and fail the way the
 * executor's rule says (retry only while nothing was published; never silently after chunks).
 */
import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  type AggregatedResult,
  type CompleteEvent,
  type ErrorEvent,
  type ExecuteContext,
  type Executor,
  isTaskError,
  type OutputEvent,
} from '../../index.js';
import {
  chunksSoFar,
  isFinal,
  type JobEvent,
  type JobKeys,
  type RestartEvent,
  type RetryEvent,
} from './job-event.js';
import { appendEvent, lastEvent, type StreamLimits } from './job-stream.js';
import { checkQueueInput, type RetryHint, singleAttempt } from './queue-input.js';

/** The data of a task job: the task input, as enqueued. */
export interface TaskJobData {
  input: unknown;
}

/** What a task job returns: the aggregated result, or the `complete` event of a chunked call. */
export type TaskJobResult = AggregatedResult | CompleteEvent;

/** Job progress, updated while a chunked call streams. */
export interface TaskJobProgress {
  attempt: number;
  chunks: number;
  bytes: number;
}

/** What every attempt on one worker shares. */
export interface TaskJobRunner {
  executor: Executor;
  /** A connection for stream writes (not a blocking one). */
  redis: Redis;
  keys: JobKeys;
  limits: StreamLimits;
  context: ExecuteContext;
  /** Least time between two progress updates of a job; default 200 ms. */
  progressIntervalMs: number;
  /** True when the job was cancelled before this attempt could be aborted. */
  cancelled(jobId: string): Promise<boolean>;
}

type Publish = (event: OutputEvent | RestartEvent | RetryEvent) => Promise<void>;

/** A failure as the stream records it. */
type Failure = Omit<ErrorEvent, 'type' | 'chunksDelivered'> & { retryAfterMs?: number };

/**
 * Run one attempt of a task job (the Worker's processor for jobs named `lambda-stream`).
 * @example
 * new Worker(queue, (job, _token, signal) => runTaskJob(job, signal, runner), { connection });
 */
export async function runTaskJob(
  job: Job<TaskJobData>,
  signal: AbortSignal | undefined,
  runner: TaskJobRunner,
): Promise<TaskJobResult> {
  const jobId = String(job.id);
  const attempt = Math.max(1, job.attemptsStarted);
  const key = runner.keys.events(jobId);
  let framing: 'chunk' | 'line' = 'chunk';
  const publish: Publish = (event) =>
    appendEvent(runner.redis, key, { ...event, attempt } as JobEvent, runner.limits, framing);
  let published = 0;
  const fail = (failure: Failure): Promise<never> => failAttempt(job, failure, published, publish);

  if (await runner.cancelled(jobId)) {
    return fail({ code: 'ABORTED', message: 'The job was cancelled before it started', retryable: false });
  }
  let input: ReturnType<typeof checkQueueInput>;
  try {
    input = checkQueueInput(job.data.input, runner.executor.manifest);
  } catch (error) {
    return fail(failureOf(error));
  }
  await markRestart(await lastEvent(runner.redis, key), publish);

  const context: ExecuteContext = { ...runner.context, ...(signal === undefined ? {} : { signal }) };
  try {
    if (input.settings.outputMode === 'aggregated') {
      const result = await runner.executor.invoke(singleAttempt(input), context);
      await publish(summaryOf(result));
      if (result.functionError) return fail(functionFailure(result.functionError));
      return result;
    }
    const progress = new ProgressReporter(job, attempt, runner.progressIntervalMs);
    // The call gives bytes and they go to Redis as they are: readers make the encoding the job
    // asked for (job-entry.ts), so the worker makes no text and no base64.
    const asked = input.settings.outputEncoding;
    framing = input.settings.framing;
    const call = singleAttempt(input);
    const bytes = { ...call, settings: { ...call.settings, outputEncoding: 'bytes' as const } };
    for await (const event of runner.executor.invokeStream(bytes, context)) {
      if (event.type === 'error') return fail(event);
      await publish(event.type === 'chunk' ? { ...event, encoding: asked } : event);
      if (event.type === 'chunk') {
        published += 1;
        await progress.add(event.size);
      } else if (event.type === 'complete') {
        await progress.flush();
        if (event.functionError) return fail(functionFailure(event.functionError));
        return event;
      }
    }
    // A cancelled call's event stream just ends: the abort came from this side.
    if (signal?.aborted) return fail(CANCELLED);
    return fail({
      code: 'STREAM_INCOMPLETE',
      message: 'The call ended without its completion',
      retryable: false,
    });
  } catch (error) {
    if (
      error instanceof UnrecoverableError ||
      (error as { retryHint?: unknown } | undefined)?.retryHint !== undefined
    ) {
      throw error;
    }
    return fail(signal?.aborted ? CANCELLED : failureOf(error));
  }
}

const CANCELLED: Failure = { code: 'ABORTED', message: 'The job was cancelled', retryable: false };

/** Tell the stream's consumers that this attempt starts again after one that had written to it. */
async function markRestart(last: JobEvent | undefined, publish: Publish): Promise<void> {
  if (last === undefined) return;
  // A final event before this attempt means the job was run again by hand (job.retry()).
  const reason = last.type === 'retry' || isFinal(last) ? 'retry' : 'stalled';
  await publish({
    type: 'restart',
    reason,
    previousAttempt: last.attempt,
    previousChunks: chunksSoFar(last),
  });
}

/**
 * Record the failure and throw what BullMQ needs: a plain error (with the Retry-After hint for the
 * backoff) when the job will run again, an `UnrecoverableError` when it must not.
 */
async function failAttempt(job: Job, failure: Failure, published: number, publish: Publish): Promise<never> {
  const attemptsLeft = job.attemptsMade + 1 < (job.opts.attempts ?? 1);
  if (failure.retryable && published === 0 && attemptsLeft) {
    await publish({ type: 'retry', code: failure.code, message: failure.message });
    const error = new Error(`${failure.code}: ${failure.message}`) as Error & { retryHint: RetryHint };
    error.retryHint = failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs };
    throw error;
  }
  const notRerun =
    published > 0 ? ` (${published} chunk(s) had been published: the job is not run again)` : '';
  const message = `${failure.message}${notRerun}`;
  // A function error's final event is the `complete` that reported it, already published.
  if (failure.code !== 'FUNCTION_ERROR') {
    await publish({ ...withoutHint(failure), message, type: 'error', chunksDelivered: published });
  }
  throw new UnrecoverableError(`${failure.code}: ${message}`);
}

function withoutHint(failure: Failure): Failure {
  const { retryAfterMs: _hint, ...rest } = failure;
  return rest;
}

function functionFailure(functionError: { errorCode: string; errorDetails?: string }): Failure {
  const details = functionError.errorDetails === undefined ? '' : `: ${functionError.errorDetails}`;
  return { code: 'FUNCTION_ERROR', message: `${functionError.errorCode}${details}`, retryable: false };
}

/** An error as stream data: its code, message and the service's facts, with its Retry-After as a hint. */
function failureOf(error: unknown): Failure {
  if (!isTaskError(error)) {
    return { code: 'STREAM_MALFORMED', message: String(error), retryable: false };
  }
  const facts = error as {
    statusCode?: number;
    awsErrorType?: string;
    requestId?: string;
    retryAfterSeconds?: number;
  };
  return {
    code: error.code,
    message: error.message,
    retryable: error.retryable,
    ...(facts.statusCode === undefined ? {} : { statusCode: facts.statusCode }),
    ...(facts.awsErrorType === undefined ? {} : { awsErrorType: facts.awsErrorType }),
    ...(facts.requestId === undefined ? {} : { requestId: facts.requestId }),
    ...(facts.retryAfterSeconds === undefined ? {} : { retryAfterMs: facts.retryAfterSeconds * 1000 }),
  };
}

/** The `complete` event of an aggregated call: its result without the payload (that is the job's return value). */
function summaryOf(result: AggregatedResult): CompleteEvent {
  const { payload: _payload, payloadEncoding: _encoding, spill: _spill, ...summary } = result;
  return { type: 'complete', ...summary };
}

/** Job progress (chunks, bytes) while streaming, at most once per interval and once at the end. */
class ProgressReporter {
  private chunks = 0;
  private bytes = 0;
  private lastAt = 0;
  constructor(
    private readonly job: Job,
    private readonly attempt: number,
    private readonly intervalMs: number,
  ) {}

  async add(bytes: number): Promise<void> {
    this.chunks += 1;
    this.bytes += bytes;
    if (Date.now() - this.lastAt >= this.intervalMs) await this.flush();
  }

  async flush(): Promise<void> {
    this.lastAt = Date.now();
    const progress: TaskJobProgress = { attempt: this.attempt, chunks: this.chunks, bytes: this.bytes };
    await this.job.updateProgress(progress as unknown as Record<string, number>);
  }
}
