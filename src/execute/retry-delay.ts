import type { RetryPolicy } from '../request/run-settings.js';

/**
 * The wait before retry number `attempt` (1 = the first retry): exponential backoff with full
 * jitter, `random() × min(maxDelay, base × 2^(attempt−1))`, but never less than the service's
 * `Retry-After`. `undefined` when `Retry-After` asks for longer than `maxDelayMs` (the caller
 * should give up rather than retry early).
 * @example
 * retryDelay(1, { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 20_000 }, () => 0.5, undefined) // 50
 */
export function retryDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterSeconds: number | undefined,
): number | undefined {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.floor(random() * ceiling);
  if (retryAfterSeconds === undefined) return jittered;
  const floor = Math.ceil(retryAfterSeconds * 1000);
  if (floor > policy.maxDelayMs) return undefined;
  return Math.max(jittered, floor);
}

/** Wait `ms`, or reject at once with `onAbort()` when the signal fires; the timer and listener are removed either way. */
export function sleep(ms: number, signal: AbortSignal | undefined, onAbort: () => unknown): Promise<void> {
  if (signal?.aborted) return Promise.reject(onAbort());
  return new Promise((resolve, reject) => {
    const abort = (): void => {
      clearTimeout(timer);
      reject(onAbort());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', abort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', abort, { once: true });
  });
}
