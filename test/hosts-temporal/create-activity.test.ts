// The Temporal activity in the SDK's own MockActivityEnvironment (no Temporal server can be obtained
// here): heartbeats with progress, the activity's cancellation, failure types, restarts announced.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { type EmulatorHandle, startEmulator } from '../../src/emulator/index.js';
import * as temporalApi from '../../src/hosts/temporal/index.js';
import { createLambdaStreamActivity } from '../../src/hosts/temporal/index.js';
import { packagePath } from '../../src/paths.js';
import { expectedText, FUNCTIONS, KEYS, taskInput } from '../hosts-bullmq/support.js';

let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator({ functionsDir: FUNCTIONS, credentials: [KEYS] });
});
afterAll(async () => {
  await emulator.close();
});

// The SDK logs every failed activity at WARN; these failures are the point of the tests.
const noop = (): void => {};
const logger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };
const environment = (info: ConstructorParameters<typeof MockActivityEnvironment>[0] = {}) =>
  new MockActivityEnvironment(info, { logger });

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the activity to fail');
    },
    (error: unknown) => error,
  );
}

describe('createLambdaStreamActivity', () => {
  it('is the only export of lambda-stream-task/temporal', () => {
    expect(Object.keys(temporalApi)).toEqual(['createLambdaStreamActivity']);
  });

  it('streams a chunked call to onEvent and heartbeats chunks and bytes as it goes', async () => {
    const env = environment({ attempt: 1 });
    const heartbeats: unknown[] = [];
    env.on('heartbeat', (details: unknown) => heartbeats.push(details));
    let text = '';
    const activity = createLambdaStreamActivity({
      context: { credentials: KEYS },
      onEvent: (event) => {
        if (event.type === 'chunk') text += event.data;
      },
    });
    const payload = { count: 4, size: 5 };
    const result = (await env.run(activity, taskInput(emulator, 'chunks', payload))) as { chunks: number };
    expect(result).toMatchObject({ type: 'complete', bytes: 20 });
    expect(text).toBe(expectedText(payload));
    expect(heartbeats.at(-1)).toEqual({ attempt: 1, chunks: result.chunks, bytes: 20 });
  });

  it('returns the aggregated result in aggregated mode', async () => {
    const env = environment();
    const activity = createLambdaStreamActivity({ context: { credentials: KEYS } });
    const result = await env.run(
      activity,
      taskInput(emulator, 'chunks', { count: 2, size: 2 }, 'aggregated'),
    );
    expect(result).toMatchObject({ payload: 'aabb', bytes: 4 });
  });

  it('fails invalid input and function errors as non-retryable application failures named by code', async () => {
    const env = environment();
    const activity = createLambdaStreamActivity({ context: { credentials: KEYS } });
    const invalid = await failureOf(env.run(activity, { path: {} }));
    expect(invalid).toBeInstanceOf(ApplicationFailure);
    expect(invalid).toMatchObject({ type: 'INVALID_INPUT', nonRetryable: true });
    const fn = await failureOf(env.run(activity, taskInput(emulator, 'fails', {}, 'aggregated')));
    expect(fn).toMatchObject({ type: 'FUNCTION_ERROR', nonRetryable: true });
  });

  it("refuses outputEncoding bytes before calling: Temporal's JSON payloads cannot carry a Uint8Array", async () => {
    const activity = createLambdaStreamActivity({ context: { credentials: KEYS }, onEvent: () => {} });
    // A closed port: had the activity called, this would be a connection failure, not INVALID_INPUT.
    const closed = { endpoint: 'http://127.0.0.1:1', outputEncoding: 'bytes' };
    for (const mode of ['aggregated', 'chunked'] as const) {
      const failure = await failureOf(
        environment().run(activity, taskInput(emulator, 'chunks', {}, mode, closed)),
      );
      expect(failure).toMatchObject({ type: 'INVALID_INPUT', nonRetryable: true });
      expect((failure as Error).message).toContain(
        "settings.outputEncoding: 'bytes' gives Uint8Array data, which the Temporal activity cannot carry",
      );
    }
  });

  it('fails a broken stream after chunks as non-retryable, saying how many were handed on', async () => {
    const env = environment();
    const activity = createLambdaStreamActivity({ context: { credentials: KEYS }, onEvent: () => {} });
    const failure = await failureOf(
      env.run(activity, taskInput(emulator, 'truncated', { count: 5, size: 3 })),
    );
    expect(failure).toMatchObject({ type: 'STREAM_TRUNCATED', nonRetryable: true });
    expect((failure as Error).message).toContain('2 chunk(s) had been handed on: not retried');
  });

  it('stops the call on the activity cancellation signal', async () => {
    const env = environment();
    const activity = createLambdaStreamActivity({
      context: { credentials: KEYS },
      onEvent: (event) => {
        if (event.type === 'chunk' && event.seq === 1) env.cancel();
      },
    });
    const failure = await failureOf(
      env.run(activity, taskInput(emulator, 'chunks', { count: 1000, size: 4, delayMs: 10 })),
    );
    expect(failure).toBeInstanceOf(CancelledFailure);
  });

  it('announces a restart when the last attempt had handed chunks on (its heartbeat details say how many)', async () => {
    const env = environment({ attempt: 2, heartbeatDetails: { attempt: 1, chunks: 3, bytes: 12 } });
    const seen: string[] = [];
    const activity = createLambdaStreamActivity({
      context: { credentials: KEYS },
      onEvent: (event) => {
        seen.push(event.type === 'restart' ? `restart after ${event.previousChunks}` : event.type);
      },
    });
    await env.run(activity, taskInput(emulator, 'chunks', { count: 1, size: 1 }));
    expect(seen[0]).toBe('restart after 3');
    expect(seen.slice(1)).toEqual(['start', 'chunk', 'complete']);
  });

  it('runs the README example activity (credentials from the environment, as a Temporal worker has them)', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = KEYS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = KEYS.secretAccessKey;
    try {
      const example = (await import(packagePath('examples', 'scaling-out', 'temporal-activity.mjs'))) as {
        activities: { lambdaStream: (input: unknown) => Promise<unknown> };
        received: string[];
      };
      const result = await environment().run(
        example.activities.lambdaStream,
        taskInput(emulator, 'chunks', { count: 3, size: 2 }),
      );
      expect(result).toMatchObject({ type: 'complete', bytes: 6 });
      expect(example.received.join('')).toBe('aabbcc');
    } finally {
      restoreEnv('AWS_ACCESS_KEY_ID', saved.id);
      restoreEnv('AWS_SECRET_ACCESS_KEY', saved.secret);
    }
  });
});

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
