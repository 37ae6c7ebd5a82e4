/**
 * What the BullMQ host tests share: a private Redis, the emulator with the test functions, task
 * inputs for them, and a reader that collects a job's events.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EmulatorHandle, startEmulator } from '../../src/emulator/index.js';
import type { JobEvent } from '../../src/hosts/bullmq/index.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';

export const FUNCTIONS = join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures', 'functions');
export const KEYS = { accessKeyId: 'AKIDBULLMQTEST', secretAccessKey: 'bullmq-test-secret-key' };

export interface Services {
  redis: RedisServer;
  emulator: EmulatorHandle;
  stop(): Promise<void>;
}

/**
 * Redis and the emulator, for one test file.
 * @example
 * const services = await startServices(); … await services.stop();
 */
export async function startServices(): Promise<Services> {
  const redis = await startRedisServer();
  const emulator = await startEmulator({ functionsDir: FUNCTIONS, credentials: [KEYS] });
  return {
    redis,
    emulator,
    async stop() {
      await emulator.close();
      await redis.stop();
    },
  };
}

/** A task input for a test function. */
export function taskInput(
  emulator: EmulatorHandle,
  fn: string,
  payload: Record<string, unknown>,
  outputMode: 'aggregated' | 'chunked' = 'chunked',
  settings: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    path: { FunctionName: fn },
    body: { Payload: payload },
    settings: { endpoint: emulator.url, region: 'us-east-1', outputMode, ...settings },
  };
}

/** What `chunks.mjs` writes for a payload. */
export function expectedText(payload: { count: number; size: number; seed?: number }): string {
  let text = '';
  for (let i = 0; i < payload.count; i += 1)
    text += String.fromCharCode(97 + (((payload.seed ?? 0) + i) % 26)).repeat(payload.size);
  return text;
}

/** Every event of a job, in order. */
export async function collect(events: AsyncIterable<JobEvent>): Promise<JobEvent[]> {
  const out: JobEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

/** The text of the chunk events of one attempt. */
export function textOf(events: JobEvent[], attempt?: number): string {
  return events
    .filter((e) => e.type === 'chunk' && (attempt === undefined || e.attempt === attempt))
    .map((e) => (e.type === 'chunk' ? e.data : ''))
    .join('');
}
