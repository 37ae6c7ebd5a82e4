// Every handler feature of Lambda's Node runtime that the emulator offers, driven through the SDK.

import type { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmulatorHandle, startEmulator, streamifyResponse } from '../../src/emulator/index.js';
import { LogProbe } from '../support/log-probe.js';
import { FIXTURES, invokePath, invokeWithSdk, payload, sdkClient, signedRequest, until } from './helpers.js';

let emulator: EmulatorHandle;
let client: LambdaClient;
const logLines: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    functionsDir: FIXTURES,
    onLog: (line) => {
      logLines.push(line);
      probe.onLog(line);
    },
  });
  client = sdkClient(emulator.url);
});

afterAll(async () => {
  client.destroy();
  await emulator.close();
});

// The functions run in their own sandboxes: they report through their log (test/support/log-probe.ts).
const probe = new LogProbe();

describe('the handler runtime', () => {
  it('marks handlers the way Lambda’s runtime does, for the exported helper and the global', () => {
    const mine = streamifyResponse(async () => {});
    const global = (globalThis as unknown as { awslambda: { streamifyResponse: typeof streamifyResponse } })
      .awslambda;
    const theirs = global.streamifyResponse(async () => {}, { highWaterMark: 1024 });
    for (const handler of [mine, theirs]) {
      expect(
        (handler as unknown as Record<symbol, unknown>)[Symbol.for('aws.lambda.runtime.handler.streaming')],
      ).toBe('response');
    }
    expect(emulator.functions).toEqual(expect.arrayContaining(['folder-fn', 'plain', 'plain-cjs', 'typed']));
  });

  it('runs NAME/index.mjs, CommonJS and TypeScript functions', async () => {
    expect((await invokeWithSdk(client, { FunctionName: 'folder-fn' })).text).toBe('from a folder');
    expect(
      (await invokeWithSdk(client, { FunctionName: 'plain-cjs', Payload: payload({ n: 4 }) })).text,
    ).toBe('cjs plain-cjs 4');
    expect(
      (await invokeWithSdk(client, { FunctionName: 'typed', Payload: payload({ name: 'ts' }) })).text,
    ).toBe('hello ts');
  });

  it('sends a plain async handler’s return value as one JSON chunk', async () => {
    const result = await invokeWithSdk(client, { FunctionName: 'plain', Payload: payload({ a: [1, 2] }) });
    expect(result.chunks).toHaveLength(1);
    expect(JSON.parse(result.text)).toEqual({ received: { a: [1, 2] }, kind: 'plain' });
    expect(result.complete).toEqual({});
  });

  it('uses the content type set with setContentType, which cannot change after the first write', async () => {
    const result = await invokeWithSdk(client, { FunctionName: 'content-type' });
    expect(result.output.ResponseStreamContentType).toBe('text/plain; charset=utf-8');
    expect(result.text).toBe('plain text; late setContentType: Cannot set content-type, too late.');
  });

  it('works with stream.pipeline()', async () => {
    const result = await invokeWithSdk(client, { FunctionName: 'pipeline', Payload: payload({ parts: 4 }) });
    expect(result.text).toBe('part-0;part-1;part-2;part-3;');
    expect(result.complete).toEqual({});
  });

  it('passes the client context and the usual context fields', async () => {
    const clientContext = Buffer.from(
      JSON.stringify({ custom: { tenant: 't1' }, env: { locale: 'en' } }),
    ).toString('base64');
    const result = await invokeWithSdk(client, {
      FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:context',
      Qualifier: 'prod',
      ClientContext: clientContext,
    });
    const context = JSON.parse(result.text) as Record<string, unknown>;
    expect(context).toEqual({
      awsRequestId: result.output.$metadata.requestId,
      functionName: 'context',
      functionVersion: '3',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:context:prod',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/context',
      logStreamName: expect.stringMatching(/^\d{4}\/\d{2}\/\d{2}\/\[3\][0-9a-f]{32}$/),
      clientContext: { custom: { tenant: 't1' }, env: { locale: 'en' } },
      remainingPositive: true,
      remainingAtMostTimeout: true,
    });
  });

  it('ends a handler that never ends at its timeout, as Lambda reports it', async () => {
    const result = await invokeWithSdk(client, { FunctionName: 'hang', LogType: 'Tail' });
    expect(result.text).toBe('started');
    expect(result.complete?.ErrorCode).toBe('Sandbox.Timedout');
    expect(result.complete?.ErrorDetails).toBe('Task timed out after 1.00 seconds');
    const log = Buffer.from(result.complete?.LogResult ?? '', 'base64').toString('utf8');
    expect(log).toContain('INFO\thanging');
    expect(log).toContain('Task timed out after 1.00 seconds');
    expect(log).toContain('Status: timeout');
  });

  it('reports a synchronous throw with the error’s name, and a stream error after its output', async () => {
    const thrown = await invokeWithSdk(client, { FunctionName: 'sync-throw' });
    expect(thrown.complete).toEqual({ ErrorCode: 'QuotaError', ErrorDetails: 'quota exhausted' });
    expect(thrown.chunks).toHaveLength(0);

    const broken = await invokeWithSdk(client, { FunctionName: 'stream-error' });
    expect(broken.text).toBe('before');
    expect(broken.complete).toEqual({ ErrorCode: 'TypeError', ErrorDetails: 'the source broke' });
  });

  it('reports modules that cannot load as Lambda’s Runtime errors', async () => {
    const syntax = await invokeWithSdk(client, { FunctionName: 'broken' });
    expect(syntax.output.StatusCode).toBe(200);
    expect(syntax.complete?.ErrorCode).toBe('Runtime.UserCodeSyntaxError');
    const missing = await invokeWithSdk(client, { FunctionName: 'no-handler' });
    expect(missing.complete).toEqual({
      ErrorCode: 'Runtime.HandlerNotFound',
      ErrorDetails: 'no-handler.handler is undefined or not exported',
    });
  });

  it('keeps each invocation’s console output in its own log when invocations interleave', async () => {
    const tags = Array.from({ length: 12 }, (_, i) => `inv${i}`);
    const results = await Promise.all(
      tags.map((tag) =>
        invokeWithSdk(client, { FunctionName: 'logger', Payload: payload({ tag }), LogType: 'Tail' }),
      ),
    );
    results.forEach((result, i) => {
      const log = Buffer.from(result.complete?.LogResult ?? '', 'base64').toString('utf8');
      const mine = log.split('\n').filter((line) => line.includes('tag='));
      expect(mine).toHaveLength(10);
      expect(mine.every((line) => line.includes(`tag=${tags[i]} `))).toBe(true);
      expect(mine.every((line) => line.includes(`\t${result.output.$metadata.requestId}\t`))).toBe(true);
      expect(result.text).toBe(tags[i]);
    });
    // The same lines also reach the emulator's own log sink.
    expect(logLines.some((line) => line.includes('WARN\ttag=inv3 warn=4'))).toBe(true);
  });

  it('honours backpressure: writes wait for a client that is not reading', async () => {
    probe.reset();
    const total = 512; // 32 MiB in 64 KiB writes: far more than socket buffers can hide
    const res = await signedRequest(emulator.url, {
      path: invokePath('backpressure'),
      body: payload({ chunks: total }),
    });
    res.pause();
    await until(() => probe.seen('blockedAt'), 'the handler to see write() return false');
    // Not reading: the handler cannot have finished; it is parked on 'drain'.
    expect(probe.seen('finished')).toBe(false);
    expect(Number(probe.values('blockedAt')[0])).toBeLessThan(total);
    let bytes = 0;
    res.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    res.resume();
    await new Promise((resolve) => res.on('end', resolve));
    expect(probe.seen('finished')).toBe(true);
    expect(bytes).toBeGreaterThan(total * 64 * 1024);
  });
});
