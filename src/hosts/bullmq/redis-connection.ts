/**
 * The Redis connection a host was given: a URL (this module opens and later closes the connection)
 * or an ioredis client the host owns.
 */

import { Redis } from 'ioredis';
import { InputError } from '../../index.js';

/** A connection in use, and how to let go of it. */
export interface HeldConnection {
  redis: Redis;
  /** Closes the connection when it was opened from a URL; leaves a host's client alone. */
  release(): Promise<void>;
}

/**
 * Open (or adopt) the connection. BullMQ's workers need `maxRetriesPerRequest: null` on it.
 * @example
 * const { redis, release } = holdConnection('redis://127.0.0.1:6379');
 */
export function holdConnection(connection: string | Redis, field = 'connection'): HeldConnection {
  if (typeof connection !== 'string') return { redis: connection, release: async () => {} };
  if (!/^rediss?:\/\/./.test(connection)) {
    const message = `${field} must be a redis:// or rediss:// URL`;
    throw new InputError('INVALID_INPUT', message, [
      { location: 'input', path: field, keyword: 'format', message },
    ]);
  }
  const redis = new Redis(connection, { maxRetriesPerRequest: null, lazyConnect: false });
  return {
    redis,
    release: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/**
 * Reject a bad option before anything connects, naming it.
 * @example
 * requireOption(typeof queue === 'string' && queue !== '', 'queue', 'must be a non-empty string');
 */
export function requireOption(ok: boolean, field: string, rule: string): void {
  if (ok) return;
  const message = `${field} ${rule}`;
  throw new InputError('INVALID_INPUT', message, [
    { location: 'input', path: field, keyword: 'option', message },
  ]);
}

/**
 * A queue name BullMQ and the stream keys can use.
 * @example
 * checkQueueName('tasks'); // ok; checkQueueName('a:b') throws InputError naming `queue`
 */
export function checkQueueName(queue: unknown): void {
  requireOption(
    typeof queue === 'string' && /^[A-Za-z0-9_.-]{1,200}$/.test(queue),
    'queue',
    'must be 1-200 letters, digits, _, - or .',
  );
}
