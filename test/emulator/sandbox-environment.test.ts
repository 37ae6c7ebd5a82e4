// Each function instance has Lambda's environment plus the function's own variables, its own
// module state (between functions and between concurrent invocations), is reused when idle, and is
// capped by reserved concurrency; context carries the tenant id, trace id and client context.

import { join } from 'node:path';
import { InvokeWithResponseStreamCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmulatorHandle, startEmulator } from '../../src/emulator/index.js';
import { packagePath } from '../../src/paths.js';
import { invokeWithSdk, payload, rejection, sdkClient } from './helpers.js';

const SANDBOX = packagePath(join('test', 'fixtures', 'sandbox-functions'));
let emulator: EmulatorHandle;
let client: LambdaClient;

beforeAll(async () => {
  emulator = await startEmulator({ functionsDir: SANDBOX });
  client = sdkClient(emulator.url, undefined, 'eu-west-1');
});

afterAll(async () => {
  client.destroy();
  await emulator.close();
});

/** `call`, repeated while it is throttled (at most 200 times, 10 ms apart). */
async function afterThrottles<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error: unknown) {
      if ((error as Error).name !== 'TooManyRequestsException' || attempt >= 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

interface EnvReport {
  env: Record<string, string | undefined>;
  invocations: number;
  touchedBy: string;
  logStreamName: string;
}

async function json<T>(FunctionName: string, event: unknown = {}, extra: Record<string, unknown> = {}) {
  const result = await invokeWithSdk(client, {
    FunctionName,
    Payload: payload(event),
    LogType: 'Tail',
    ...extra,
  });
  const log = Buffer.from(result.complete?.LogResult ?? '', 'base64').toString('utf8');
  return { value: JSON.parse(result.text) as T, log, complete: result.complete };
}

describe('the environment of an instance', () => {
  it('has the Lambda variables of the Node runtime and the function’s own, and nothing of the host', async () => {
    const { value } = await json<EnvReport>('env');
    expect(value.env).toEqual({
      AWS_LAMBDA_FUNCTION_NAME: 'env',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${process.versions.node.split('.')[0]}.x`,
      LAMBDA_TASK_ROOT: SANDBOX,
      _HANDLER: 'env.handler',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/env',
      AWS_LAMBDA_LOG_STREAM_NAME: value.logStreamName,
      _X_AMZN_TRACE_ID: expect.stringMatching(
        /^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/,
      ),
      TZ: ':UTC',
      GREETING: 'hello from env',
      ONLY_ENV: '1',
    });
    expect(value.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
  });

  it('differs per function, and what a function sets stays in its instance', async () => {
    const { value } = await json<Record<string, unknown>>('other');
    expect(value).toEqual({
      greeting: 'hello from other',
      onlyOther: '2',
      touchedBy: null,
      handler: 'other/index.handler',
      name: 'other',
    });
    expect(process.env.ONLY_OTHER_SET_AT_RUNTIME).toBeUndefined();
  });
});

describe('instances', () => {
  it('gives concurrent invocations their own instances (cold starts), and reuses an idle one', async () => {
    const retire = await startEmulator({ functionsDir: SANDBOX });
    const own = sdkClient(retire.url);
    try {
      const call = async (event: unknown) => {
        const result = await invokeWithSdk(own, {
          FunctionName: 'env',
          Payload: payload(event),
          LogType: 'Tail',
        });
        const log = Buffer.from(result.complete?.LogResult ?? '', 'base64').toString('utf8');
        return {
          value: JSON.parse(result.text) as EnvReport,
          report: log.split('\n').find((l) => l.startsWith('REPORT')),
        };
      };
      const [a, b] = await Promise.all([call({ wait: 300 }), call({ wait: 300 })]);
      expect([a.value.invocations, b.value.invocations]).toEqual([1, 1]);
      expect(a.value.logStreamName).not.toBe(b.value.logStreamName);
      expect(a.report).toContain('Init Duration:');
      expect(b.report).toContain('Init Duration:');
      const reused = await call({});
      expect(reused.value.invocations).toBe(2);
      expect([a.value.logStreamName, b.value.logStreamName]).toContain(reused.value.logStreamName);
      expect(reused.report).not.toContain('Init Duration:');
    } finally {
      own.destroy();
      await retire.close();
    }
  });

  it('throttles over reserved concurrency with the service’s TooManyRequestsException', async () => {
    const first = await client.send(
      new InvokeWithResponseStreamCommand({ FunctionName: 'slow', Payload: payload({ ms: 1500 }) }),
    );
    const over = await rejection(client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'slow' })));
    expect(over.name).toBe('TooManyRequestsException');
    expect(over.Reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
    expect(over.message).toBe('Rate Exceeded.');
    const chunks: string[] = [];
    for await (const event of first.EventStream ?? []) {
      if (event.PayloadChunk?.Payload) chunks.push(Buffer.from(event.PayloadChunk.Payload).toString('utf8'));
    }
    expect(chunks.join('')).toBe('started\ndone\n');
    // The client sees the stream end before the instance reports itself free (a message from its
    // thread, as Lambda's runtime asks for the next event after answering): the slot frees soon after.
    const again = await afterThrottles(() =>
      invokeWithSdk(client, { FunctionName: 'slow', Payload: payload({ ms: 1 }) }),
    );
    expect(again.text).toBe('started\ndone\n');
    const none = await rejection(
      client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'disabled' })),
    );
    expect(none.name).toBe('TooManyRequestsException');
  });

  it('throttles over the emulator’s account concurrency', async () => {
    const small = await startEmulator({ functionsDir: SANDBOX, accountConcurrency: 1 });
    const own = sdkClient(small.url);
    try {
      const first = await own.send(
        new InvokeWithResponseStreamCommand({ FunctionName: 'slow', Payload: payload({ ms: 1000 }) }),
      );
      const over = await rejection(own.send(new InvokeWithResponseStreamCommand({ FunctionName: 'other' })));
      expect(over.name).toBe('TooManyRequestsException');
      expect(over.Reason).toBe('ConcurrentInvocationLimitExceeded');
      for await (const _event of first.EventStream ?? []) {
        // drain
      }
    } finally {
      own.destroy();
      await small.close();
    }
  });
});

describe('context', () => {
  it('carries the tenant id, a trace id, the client context and the remaining time', async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { app: 'x' } })).toString('base64');
    const { value } = await json<Record<string, unknown>>(
      'context',
      {},
      { TenantId: 'tenant-42', ClientContext: clientContext },
    );
    expect(value.tenantId).toBe('tenant-42');
    expect(value.traceId).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};/);
    expect(value.clientContext).toEqual({ custom: { app: 'x' } });
    expect(value.identity).toBeNull();
    expect(value.remaining as number).toBeGreaterThan(0);
    expect(value.remaining as number).toBeLessThanOrEqual(5000);
    const plain = await json<Record<string, unknown>>('context');
    expect(plain.value.tenantId).toBeNull();
    expect(plain.value.traceId).not.toBe(value.traceId);
  });

  it('refuses a tenant id outside the service’s pattern', async () => {
    const error = await rejection(
      client.send(
        new InvokeWithResponseStreamCommand({ FunctionName: 'context', TenantId: 't'.repeat(257) }),
      ),
    );
    expect(error.name).toBe('InvalidParameterValueException');
  });
});
