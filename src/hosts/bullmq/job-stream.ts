/**
 * A job's event stream in Redis (XADD / XREAD): written by the worker running the job as each event
 * arrives, read from the first entry by any number of consumers on any machine, whenever they
 * subscribe. Bounded (MAXLEN) and expiring (EXPIRE), so an abandoned stream does not stay in Redis.
 */
import type { Redis } from 'ioredis';
import { StreamError } from '../../index.js';
import { EntryReader, entryFields } from './job-entry.js';
import { chunksSoFar, isFinal, type JobEvent } from './job-event.js';

/** Bounds of every job stream. */
export interface StreamLimits {
  /** Entries kept per job (approximate trimming, `MAXLEN ~`); default 100,000. */
  maxLength: number;
  /** Seconds a stream lives after its last write; default 86,400 (a day). */
  ttlSeconds: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { maxLength: 100_000, ttlSeconds: 86_400 };

/** An entry as read with the Buffer commands (a chunk's bytes stay bytes). */
type Entry = [id: Buffer, fields: Buffer[]];

/**
 * Append one event (a chunk with bytes as a binary field: see job-entry.ts; `framing` says whether
 * each chunk is a whole line). Awaited by the worker before it pulls the next event from the call,
 * so a slow Redis slows the call instead of piling events up in memory.
 * @example
 * await appendEvent(redis, keys.events(job.id), { type: 'restart', reason: 'stalled', previousAttempt: 1, previousChunks: 3, attempt: 2 })
 */
export async function appendEvent(
  redis: Redis,
  key: string,
  event: JobEvent,
  limits: StreamLimits = DEFAULT_STREAM_LIMITS,
  framing: 'chunk' | 'line' = 'chunk',
): Promise<void> {
  await redis
    .multi()
    .xadd(key, 'MAXLEN', '~', String(limits.maxLength), '*', ...entryFields(event, framing))
    .expire(key, limits.ttlSeconds)
    .exec();
}

/**
 * The stream's last event, or undefined when nothing was written yet.
 * @example
 * const last = await lastEvent(redis, keys.events(job.id)); // what the previous attempt got to
 */
export async function lastEvent(redis: Redis, key: string): Promise<JobEvent | undefined> {
  const entries = (await redis.xrevrangeBuffer(key, '+', '-', 'COUNT', 1)) as Entry[];
  const last = entries[0];
  return last === undefined ? undefined : new EntryReader().read(last[1]).at(-1);
}

/** What the reader asks when no event came for a while: has the job ended without a final event? */
export type EndedWithout = () => Promise<string | undefined>;

/** Options of {@link readEvents}. */
export interface ReadOptions {
  /** How long one XREAD blocks before {@link EndedWithout} is asked; default 1000 ms. */
  blockMs?: number;
  /** Stop reading (the iterator returns). */
  signal?: AbortSignal;
}

/**
 * Every event of a job's stream from the first, as they are written, ending after the final
 * `complete` or `error`. `redis` must be a connection of its own: XREAD BLOCK holds it.
 * When the job ended without a final event (BullMQ failed it after too many stalls, so no worker
 * wrote one), the reader yields an `error` event saying so rather than waiting for ever. A gap in
 * the chunk numbers (entries trimmed by MAXLEN before they were read) is a `STREAM_INCOMPLETE` error.
 * @example
 * for await (const event of readEvents(redis.duplicate(), keys.events(jobId), endedWithout)) console.log(event.type);
 */
export async function* readEvents(
  redis: Redis,
  key: string,
  endedWithout: EndedWithout,
  options: ReadOptions = {},
): AsyncGenerator<JobEvent> {
  const blockMs = options.blockMs ?? 1000;
  let lastId = '0';
  let last: JobEvent | undefined;
  const continuity = new ChunkContinuity(key);
  const entryReader = new EntryReader();
  for (;;) {
    if (options.signal?.aborted) return;
    const reply = (await redis.xreadBuffer('COUNT', 1000, 'BLOCK', blockMs, 'STREAMS', key, lastId)) as
      | [Buffer, Entry[]][]
      | null;
    const entries = reply?.[0]?.[1] ?? [];
    for (const [id, fields] of entries) {
      lastId = id.toString('latin1');
      for (const event of entryReader.read(fields)) {
        continuity.check(event);
        last = event;
        yield event;
        if (isFinal(event)) return;
      }
    }
    if (entries.length > 0) continue;
    const why = await endedWithout();
    if (why === undefined) continue;
    // One more read: the final event may have landed between the XREAD and the check.
    const tail = (await redis.xrangeBuffer(key, `(${lastId}`, '+')) as Entry[];
    for (const [, fields] of tail) {
      for (const event of entryReader.read(fields)) {
        yield event;
        if (isFinal(event)) return;
      }
    }
    yield {
      type: 'error',
      code: 'STREAM_INCOMPLETE',
      message: `The job ended without a final event: ${why}`,
      retryable: false,
      chunksDelivered: last === undefined ? 0 : chunksSoFar(last),
      attempt: last?.attempt ?? 1,
    };
    return;
  }
}

/**
 * Chunk numbers per attempt: each attempt counts from 0. Attempts can interleave (a worker that lost
 * its lock under load writes on while BullMQ already runs the job elsewhere), so each is followed
 * on its own.
 */
class ChunkContinuity {
  private readonly next = new Map<number, number>();
  constructor(private readonly key: string) {}

  check(event: JobEvent): void {
    if (event.type !== 'chunk') return;
    const expected = this.next.get(event.attempt) ?? 0;
    if (event.seq !== expected) {
      throw new StreamError(
        'STREAM_INCOMPLETE',
        `${this.key}: chunk ${event.seq} of attempt ${event.attempt} came where chunk ${expected} was due: ` +
          "entries were trimmed before they were read (raise the worker's stream maxLength, or read sooner)",
      );
    }
    this.next.set(event.attempt, expected + 1);
  }
}
