// 200 concurrent streaming invocations: every chunk of every stream arrives, in order, once.

import { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmulatorHandle, startEmulator } from '../../src/emulator/index.js';
import { invokeWithSdk, payload } from './helpers.js';

const WORDS = [
  'The',
  ' quick',
  ' model',
  ' streams',
  ' tokens',
  ' as',
  ' soon',
  ' as',
  ' they',
  ' are',
  ' ready',
  '.',
];

let emulator: EmulatorHandle;
let client: LambdaClient;

beforeAll(async () => {
  emulator = await startEmulator();
  // 200 sockets, so the 200 calls are really in flight at once (the SDK's default is 50): each
  // gets its own function instance.
  client = new LambdaClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
    requestHandler: { httpAgent: { maxSockets: 200 } },
  });
});

afterAll(async () => {
  client.destroy();
  await emulator.close();
});

describe('concurrency', () => {
  it('completes 200 concurrent invocations of tokens with every chunk in order', async () => {
    const count = 20;
    const calls = Array.from({ length: 200 }, (_, i) => {
      // Prompts of different lengths start the word cycle at different places, so streams differ.
      const prompt = 'p'.repeat(i % WORDS.length);
      return invokeWithSdk(client, {
        FunctionName: 'tokens',
        Payload: payload({ prompt, count, delayMs: 2 }),
      }).then((result) => ({ result, seed: prompt.length }));
    });
    const results = await Promise.all(calls);
    const requestIds = new Set<string>();
    for (const { result, seed } of results) {
      const expected = Array.from({ length: count }, (_, k) => WORDS[(seed + k) % WORDS.length]);
      expect(result.chunks.map(String)).toEqual(expected);
      expect(result.complete).toEqual({});
      expect(result.completes).toBe(1);
      requestIds.add(String(result.output.$metadata.requestId));
    }
    expect(requestIds.size).toBe(200);
  });
});
