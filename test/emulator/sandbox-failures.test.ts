// The Node runtime's failure rules, with functions in their own sandboxes: an uncaught exception,
// an unhandled rejection, process.exit and the memory limit fail the current invocation at once
// (not at its timeout) with the runtime's error and log lines, and end the instance; the timeout
// ends it too, even in a busy loop; and this process, the emulator's host in library mode, lives on.

import { join } from 'node:path';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmulatorHandle, startEmulator } from '../../src/emulator/index.js';
import { packagePath } from '../../src/paths.js';
import { LogProbe } from '../support/log-probe.js';
import { decodeResponse, invokePath, invokeWithSdk, payload, sdkClient, signedRequest } from './helpers.js';

const SANDBOX = packagePath(join('test', 'fixtures', 'sandbox-functions'));
const probe = new LogProbe();
let emulator: EmulatorHandle;
let client: LambdaClient;
const listenersBefore =
  process.listenerCount('uncaughtException') + process.listenerCount('unhandledRejection');

beforeAll(async () => {
  emulator = await startEmulator({ functionsDir: SANDBOX, onLog: probe.onLog });
  client = sdkClient(emulator.url);
});

afterAll(async () => {
  client.destroy();
  await emulator.close();
});

async function tail(FunctionName: string, event: unknown = {}) {
  const result = await invokeWithSdk(client, { FunctionName, Payload: payload(event), LogType: 'Tail' });
  const log = Buffer.from(result.complete?.LogResult ?? '', 'base64').toString('utf8');
  return { ...result, log, report: log.split('\n').find((line) => line.startsWith('REPORT')) ?? '' };
}

describe('failure rules of the Node runtime', () => {
  it('an exception thrown from a timer fails the invocation at once, with the runtime’s log lines', async () => {
    const result = await tail('timer-throw');
    expect(result.text).toBe('before the throw\n');
    expect(result.complete?.ErrorCode).toBe('TypeError');
    expect(result.complete?.ErrorDetails).toBe('thrown from a timer');
    expect(result.log).toMatch(
      /\tERROR\tUncaught Exception \t\{"errorType":"TypeError","errorMessage":"thrown from a timer"/,
    );
    expect(result.log).toContain('Error: Runtime exited with error: exit status 129\nRuntime.ExitError\n');
    expect(result.report).toContain('Status: error\tError Type: Runtime.ExitError');
    expect(result.report).not.toContain('timeout');
  });

  it('an unhandled rejection fails the invocation at once as Runtime.UnhandledPromiseRejection', async () => {
    const result = await tail('unhandled');
    expect(result.text).toBe('before the rejection\n');
    expect(result.complete?.ErrorCode).toBe('Runtime.UnhandledPromiseRejection');
    expect(result.complete?.ErrorDetails).toBe('Error: nobody handles this');
    expect(result.log).toContain(
      '\tERROR\tUnhandled Promise Rejection \t{"errorType":"Runtime.UnhandledPromiseRejection"',
    );
    expect(result.log).toContain('exit status 128');
  });

  it('process.exit ends the invocation as Runtime.ExitError', async () => {
    const result = await tail('exits');
    expect(result.complete?.ErrorCode).toBe('Runtime.ExitError');
    expect(result.complete?.ErrorDetails).toMatch(
      /^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 3$/,
    );
  });

  it('the memory limit ends the instance, reported as Lambda reports it', async () => {
    const result = await tail('memory');
    expect(result.text).toBe('allocating\n');
    expect(result.complete?.ErrorCode).toBe('Runtime.OutOfMemory');
    expect(result.complete?.ErrorDetails).toMatch(/Error: Runtime exited with error: signal: killed$/);
    expect(result.log).toContain('Runtime exited with error: signal: killed\nRuntime.OutOfMemory\n');
    expect(result.report).toContain('Memory Size: 128 MB\tMax Memory Used: 128 MB');
    expect(result.report).toContain('Status: error\tError Type: Runtime.OutOfMemory');
  });

  it('the timeout ends the instance: the next invocation gets a fresh one', async () => {
    probe.reset();
    const first = await tail('hang');
    expect(first.complete?.ErrorCode).toBe('Sandbox.Timedout');
    expect(first.complete?.ErrorDetails).toBe('Task timed out after 1.00 seconds');
    expect(first.report).toContain('Status: timeout');
    const second = await tail('hang');
    expect(second.report).toContain('Init Duration:');
    const instances = probe.values('instance');
    expect(instances).toHaveLength(2);
    expect(instances[0]).not.toBe(instances[1]);
  });

  it('a busy loop that never yields is ended by its timeout', async () => {
    const result = await tail('busy');
    expect(result.text).toBe('spinning\n');
    expect(result.complete?.ErrorCode).toBe('Sandbox.Timedout');
  });

  it('a module whose import never settles fails when the init phase runs out (10 s), each in its own instance', async () => {
    const results = await Promise.all([tail('never-loads'), tail('never-loads')]);
    for (const result of results) {
      expect(result.complete?.ErrorCode).toBe('Sandbox.Timedout');
      expect(result.log).toContain('INIT_REPORT Init Duration: 10000.00 ms\tPhase: init\tStatus: timeout');
    }
  }, 60_000);
});

describe('the response stream as the Node runtime has it', () => {
  it('refuses a streaming handler that is not async, after it ran', async () => {
    const result = await tail('sync-stream');
    expect(result.text).toBe('written synchronously\n');
    expect(result.complete?.ErrorCode).toBe('string');
    expect(result.complete?.ErrorDetails).toBe('Streaming does not support non-async handlers.');
    expect(result.log).toContain(
      'Invoke Error \t{"errorType":"Error","errorMessage":"Streaming does not support non-async handlers."',
    );
  });

  it('writes a value that is not a string or bytes as its JSON', async () => {
    const result = await tail('object-write');
    expect(result.text).toBe('{"an":"object"}[1,2]42');
    expect(result.complete).toEqual({ LogResult: expect.any(String) });
  });

  it('refuses a content type with control characters at the call, without waiting for the timeout', async () => {
    const result = await tail('bad-content-type');
    expect(result.complete?.ErrorCode).toBe('TypeError');
    expect(result.complete?.ErrorDetails).toBe('Invalid character in header content ["Content-Type"]');
  });

  it('splits one 30 MiB write into chunks of at most 1 MiB, which the project’s own decoder accepts', async () => {
    const res = await signedRequest(emulator.url, {
      path: invokePath('huge-write'),
      body: payload({ mib: 30 }),
    });
    const decoded = await decodeResponse(res);
    expect(decoded.error).toBeUndefined();
    const chunks = decoded.events.filter((e) => e.type === 'PayloadChunk').map((e) => e.body);
    expect(chunks.every((c) => c.length <= 1024 * 1024)).toBe(true);
    const body = Buffer.concat(chunks);
    expect(body.length).toBe(30 * 1024 * 1024);
    expect(body[body.length - 1]).toBe((body.length - 1) % 251);
    expect(decoded.events.at(-1)?.type).toBe('InvokeComplete');
  });
});

describe('the host process in library mode', () => {
  it('survives every failure above, run at once, and the emulator keeps serving', async () => {
    const hostile = ['timer-throw', 'unhandled', 'exits', 'memory', 'busy', 'hang', 'sync-stream'];
    const results = await Promise.all(hostile.map((name) => invokeWithSdk(client, { FunctionName: name })));
    expect(results.map((r) => r.complete?.ErrorCode !== undefined)).toEqual(hostile.map(() => true));
    const after = await invokeWithSdk(client, { FunctionName: 'object-write' });
    expect(after.text).toBe('{"an":"object"}[1,2]42');
    // Nothing was installed on this process to catch the functions' errors: none reached it.
    expect(process.listenerCount('uncaughtException') + process.listenerCount('unhandledRejection')).toBe(
      listenersBefore,
    );
  });
});
