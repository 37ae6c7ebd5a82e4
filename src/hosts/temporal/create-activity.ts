/**
 * The task as a Temporal activity: it runs the call, heartbeats with its progress (chunks, bytes)
 * while it streams, stops on the activity's cancellation, and fails with application failures that
 * Temporal's retry policy can read: non-retryable for invalid input, function errors and anything
 * after output was handed on; retryable only for transient faults before the first chunk.
 */
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import {
  type AggregatedResult,
  assertJsonOutputEncoding,
  type CompleteEvent,
  createExecutor,
  type ExecuteContext,
  type Executor,
  isTaskError,
  type LoadedManifest,
  type OutputEvent,
} from '../../index.js';

/** The heartbeat details: how far this attempt got (and, in the next attempt's info, the last one). */
export interface ActivityProgress {
  attempt: number;
  chunks: number;
  bytes: number;
}

/**
 * Handed to `onEvent` before a retried attempt's events when the earlier attempt had handed some on:
 * its chunks are not part of this attempt's output.
 */
export interface ActivityRestartEvent {
  type: 'restart';
  previousAttempt: number;
  previousChunks: number;
}

/** Options of {@link createLambdaStreamActivity}. */
export interface LambdaStreamActivityOptions {
  /** The definition (a path or a loaded one); default the package's. Ignored when `executor` is given. */
  manifest?: string | LoadedManifest;
  executor?: Executor;
  /** Passed to every call (credentials, environment, logger); the signal is the activity's. */
  context?: Omit<ExecuteContext, 'signal'>;
  /**
   * Where a chunked call's events go while it streams (a queue, a socket, a Redis stream): awaited
   * before the next event is read. Without it the activity only counts the chunks.
   */
  onEvent?: (event: OutputEvent | ActivityRestartEvent) => unknown;
}

/** What the activity returns: the aggregated result, or a chunked call's `complete` event. */
export type LambdaStreamActivityResult = AggregatedResult | CompleteEvent;

/**
 * Create the activity function; register it with a Temporal worker under the name you choose.
 * @example
 * const worker = await Worker.create({ taskQueue: 'tasks', workflowsPath, activities: { lambdaStream: createLambdaStreamActivity() } });
 * // in a workflow: const { lambdaStream } = proxyActivities({ startToCloseTimeout: '5m', heartbeatTimeout: '30s' });
 */
export function createLambdaStreamActivity(
  options: LambdaStreamActivityOptions = {},
): (input: unknown) => Promise<LambdaStreamActivityResult> {
  const executor =
    options.executor ?? createExecutor(options.manifest === undefined ? {} : { manifest: options.manifest });
  return async function lambdaStream(input: unknown): Promise<LambdaStreamActivityResult> {
    const activity = Context.current();
    const { attempt } = activity.info;
    const signal = activity.cancellationSignal;
    const progress: ActivityProgress = { attempt, chunks: 0, bytes: 0 };
    const context: ExecuteContext = { ...options.context, signal };
    try {
      // Temporal stores the result as a JSON payload, which a Uint8Array payload would not survive.
      assertJsonOutputEncoding(input, 'the Temporal activity');
      const output = await executor.execute(input, context);
      activity.heartbeat(progress);
      if (output.mode === 'aggregated') {
        if (output.result.functionError) throw functionFailure(output.result.functionError);
        return output.result;
      }
      await announceRestart(activity.info.heartbeatDetails, options.onEvent);
      for await (const event of output.events) {
        if (event.type === 'error') throw failureOf(event, progress.chunks);
        await options.onEvent?.(event);
        if (event.type === 'chunk') {
          progress.chunks += 1;
          progress.bytes += event.size;
          activity.heartbeat(progress);
        } else if (event.type === 'complete') {
          if (event.functionError) throw functionFailure(event.functionError);
          return event;
        }
      }
      throw failureOf({ code: 'STREAM_INCOMPLETE', message: 'The call ended without its completion' }, 0);
    } catch (error) {
      if (signal.aborted)
        throw signal.reason instanceof Error ? signal.reason : new CancelledFailure('cancelled');
      if (error instanceof ApplicationFailure) throw error;
      throw isTaskError(error) ? failureOf(error, progress.chunks) : error;
    }
  };
}

/** Before a retried attempt's events: say that the earlier attempt had handed chunks on. */
async function announceRestart(
  details: unknown,
  onEvent: LambdaStreamActivityOptions['onEvent'],
): Promise<void> {
  const previous = details as Partial<ActivityProgress> | undefined;
  if (onEvent === undefined || !previous || typeof previous.chunks !== 'number' || previous.chunks === 0)
    return;
  await onEvent({ type: 'restart', previousAttempt: previous.attempt ?? 0, previousChunks: previous.chunks });
}

function functionFailure(functionError: { errorCode: string; errorDetails?: string }): ApplicationFailure {
  return ApplicationFailure.create({
    type: 'FUNCTION_ERROR',
    message: `The function failed: ${functionError.errorCode}`,
    nonRetryable: true,
    details: [functionError],
  });
}

/**
 * A task failure as an application failure whose `type` is the task's error code. Retryable only
 * when the task says so and nothing was handed on (then Temporal's retry policy decides).
 */
function failureOf(
  error: { code: string; message: string; retryable?: boolean; retryAfterSeconds?: number },
  chunks: number,
): ApplicationFailure {
  const retryable = error.retryable === true && chunks === 0;
  const after = chunks > 0 ? ` (${chunks} chunk(s) had been handed on: not retried)` : '';
  return ApplicationFailure.create({
    type: error.code,
    message: `${error.message}${after}`,
    nonRetryable: !retryable,
    details: [{ code: error.code, chunksDelivered: chunks }],
    ...(retryable && error.retryAfterSeconds !== undefined
      ? { nextRetryDelay: error.retryAfterSeconds * 1000 }
      : {}),
  });
}
