/**
 * A task input on its way through the queue: checked before it is enqueued (nothing goes to Redis
 * on bad input) and again by the worker, and its retry policy turned into BullMQ's attempts and
 * backoff, so retries happen through the queue (on any worker) instead of inside one call.
 */
import {
  assertJsonOutputEncoding,
  InputError,
  type LoadedManifest,
  type ResolvedTaskInput,
  withDefaults,
} from '../../index.js';

/** Name of the backoff strategy that the worker registers (`settings.backoffStrategy`). */
export const BACKOFF_TYPE = 'lambda-stream';

/**
 * The input with its defaults filled in; throws `InputError` naming the field when it is invalid
 * or carries `settings.credentials` (job data sits in Redis in plain text: workers get credentials
 * from their own environment or host instead), or asks for `bytes` in aggregated mode (the job's
 * return value is stored as JSON; a chunked job's stream carries bytes as they are).
 * @example
 * checkQueueInput({ path: { FunctionName: 'echo' } }).settings.retry.maxAttempts // 3
 */
export function checkQueueInput(input: unknown, manifest?: LoadedManifest): ResolvedTaskInput {
  const resolved = manifest === undefined ? withDefaults(input) : withDefaults(input, manifest);
  if (resolved.settings.credentials !== undefined) {
    const message =
      'settings.credentials must not travel through the queue (job data is stored in Redis): give the ' +
      'worker its credentials (its environment, profile or startWorker({ context: { credentials } }))';
    throw new InputError('INVALID_INPUT', message, [
      { location: 'settings', path: 'settings.credentials', keyword: 'queue', message },
    ]);
  }
  if (resolved.settings.outputMode === 'aggregated') {
    assertJsonOutputEncoding(resolved, "an aggregated job's return value (a chunked job streams bytes)");
  }
  return resolved;
}

/** BullMQ job options that carry the task's retry policy. */
export interface RetryJobOptions {
  attempts: number;
  backoff: { type: typeof BACKOFF_TYPE; delay: number };
}

/**
 * The task's retry policy as BullMQ job options: `maxAttempts` attempts in all, the delay computed
 * by {@link backoffDelay}.
 * @example
 * retryJobOptions(checkQueueInput(input)) // { attempts: 3, backoff: { type: 'lambda-stream', delay: 100 } }
 */
export function retryJobOptions(input: ResolvedTaskInput): RetryJobOptions {
  const { maxAttempts, baseDelayMs } = input.settings.retry;
  return { attempts: maxAttempts, backoff: { type: BACKOFF_TYPE, delay: baseDelayMs } };
}

/**
 * The input one attempt runs: the executor itself does not retry (BullMQ does, between attempts).
 * @example
 * singleAttempt(resolved).settings.retry.maxAttempts // 1
 */
export function singleAttempt(input: ResolvedTaskInput): ResolvedTaskInput {
  return { ...input, settings: { ...input.settings, retry: { ...input.settings.retry, maxAttempts: 1 } } };
}

/** Set on the error a failed attempt throws, so the backoff can honour the service's Retry-After. */
export interface RetryHint {
  retryAfterMs?: number;
}

/**
 * The wait before the next attempt, as the executor computes its own: full jitter over
 * `min(maxDelayMs, baseDelayMs × 2^(attemptsMade−1))`, never less than a Retry-After.
 * @example
 * backoffDelay(1, { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 20000 }, undefined, () => 0.5) // 50
 */
export function backoffDelay(
  attemptsMade: number,
  retry: ResolvedTaskInput['settings']['retry'],
  hint: RetryHint | undefined,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** Math.max(0, attemptsMade - 1));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, Math.min(hint?.retryAfterMs ?? 0, retry.maxDelayMs));
}
