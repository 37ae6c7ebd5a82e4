/**
 * What a job's Redis stream carries: the task's own output events, each stamped with the attempt
 * that produced it, and two markers of this host, so a consumer on any machine can tell a call that
 * continues from one that started again.
 */
import type { OutputEvent } from '../../index.js';

/**
 * A new attempt began after an earlier one had written to the stream. `stalled`: the worker running
 * the earlier attempt stopped answering (it died or lost Redis) and BullMQ handed the job to
 * another; `retry`: the earlier attempt failed before any chunk and BullMQ ran the job again.
 * Chunks of the earlier attempt (`previousChunks` of them) are not part of this attempt's output.
 */
export interface RestartEvent {
  type: 'restart';
  reason: 'stalled' | 'retry';
  previousAttempt: number;
  previousChunks: number;
}

/** An attempt failed and BullMQ will run the job again (after its backoff); the stream goes on. */
export interface RetryEvent {
  type: 'retry';
  code: string;
  message: string;
}

/**
 * One entry of a job's stream: an output event or a marker, and the attempt (1, 2, …) that wrote it.
 * A chunk's bytes are stored as they are and read in the job's encoding (job-entry.ts).
 */
export type JobEvent = (OutputEvent | RestartEvent | RetryEvent) & { attempt: number };

/** Redis keys of one queue's jobs, beside BullMQ's own (which it names under its `bull:` prefix). */
export interface JobKeys {
  /** The job's event stream. */
  events(jobId: string): string;
  /** Set when the job is cancelled, so a worker that takes it later fails it at once. */
  cancelled(jobId: string): string;
  /** Pub/sub channel on which cancellations reach the worker running the job. */
  cancelChannel: string;
}

/**
 * The key names of a queue.
 * @example
 * jobKeys('tasks').events('42') // 'lambda-stream:tasks:42:events'
 */
export function jobKeys(queue: string): JobKeys {
  const base = `lambda-stream:${queue}`;
  return {
    events: (jobId) => `${base}:${jobId}:events`,
    cancelled: (jobId) => `${base}:${jobId}:cancelled`,
    cancelChannel: `${base}:cancel`,
  };
}

/**
 * True for the last event of an attempt that ends the job: `complete` or `error` (a failed attempt
 * that will run again writes `retry` instead).
 * @example
 * isFinal({ type: 'complete', attempt: 1, ... }) // true
 */
export function isFinal(event: JobEvent): boolean {
  return event.type === 'complete' || event.type === 'error';
}

/**
 * How many chunks an attempt had published, judged from its last event in the stream.
 * @example
 * chunksSoFar({ type: 'chunk', seq: 4, attempt: 1, ... }) // 5
 */
export function chunksSoFar(event: JobEvent): number {
  if (event.type === 'chunk') return event.seq + 1;
  if (event.type === 'error') return event.chunksDelivered;
  if (event.type === 'complete') return event.chunks;
  return 0;
}
