import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../src/emulator/start-emulator.js';
import type { ExecuteContext } from '../../src/index.js';
import { testRequest } from '../../src/report/test-request.js';
import { countingServer, expectNoSecrets, FAKE } from '../hosts-cli/support/harness.js';

let emulator: Awaited<ReturnType<typeof startEmulator>>;
/** Throttles every call to `echo`, to check the throttling hint. */
let throttling: Awaited<ReturnType<typeof startEmulator>>;
const signatures: string[] = [];

beforeAll(async () => {
  const credentials = [{ accessKeyId: FAKE.accessKeyId, secretAccessKey: FAKE.secretAccessKey }];
  emulator = await startEmulator({ credentials });
  throttling = await startEmulator({ credentials, faults: { echo: { throttle: 1000 } } });
});
afterAll(async () => {
  await emulator.close();
  await throttling.close();
});

function context(url: string): ExecuteContext {
  return {
    credentials: FAKE,
    env: { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_LAMBDA: url },
    observer: {
      onRequest: (r) => {
        const signature = /Signature=([0-9a-f]+)/.exec(
          r.headers.authorization ?? r.headers.Authorization ?? '',
        );
        if (signature?.[1]) signatures.push(signature[1]);
      },
    },
  };
}

describe('testRequest', () => {
  it('reports a successful call: redacted request, curl, timed events, output', async () => {
    const report = await testRequest(
      { path: { FunctionName: 'echo' }, body: { Payload: { hello: 'world' } } },
      context(emulator.url),
    );
    expect(report.outcome).toBe('success');
    expect(report.summary).toMatch(/^success: 200 in \d+ ms, 17 B in 1 chunk\(s\)$/);
    const request = report.request!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe(`${emulator.url}/2021-11-15/functions/echo/response-streaming-invocations`);
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
    // redact() masks the key id to its first 4 characters (or wholly): never more than 4 survive.
    expect(headers.authorization).toMatch(/Credential=(AKIA)?<redacted>/);
    expect(headers.authorization).toContain('Signature=<redacted>');
    expect(headers['x-amz-security-token']).toBe('<redacted>');
    expect(request.body).toEqual({ bytes: 17, truncated: false, text: '{"hello":"world"}' });
    expect(request.curl.reliable).toBe(true);
    expect(request.curl.command).toContain('--aws-sigv4');

    const response = report.response!;
    expect(response.statusCode).toBe(200);
    expect(response.events.map((e) => [e.seq, e.eventType, e.messageType])).toEqual([
      [1, 'PayloadChunk', 'event'],
      [2, 'InvokeComplete', 'event'],
    ]);
    expect(response.events[0]?.preview.text).toBe('{"hello":"world"}');
    expect(response.events[0]!.elapsedMs).toBeLessThanOrEqual(response.events[1]!.elapsedMs);
    expect(response).toMatchObject({ bytes: 17, chunks: 1, eventsOmitted: 0 });
    expect(report.output).toMatchObject({ payloadEncoding: 'json', preview: { text: '{"hello":"world"}' } });
    expect(report.error).toBeUndefined();
    expectNoSecrets(JSON.stringify(report), signatures);
  });

  it('reports a function error with its code, message, decoded log tail and a hint', async () => {
    const report = await testRequest(
      {
        path: { FunctionName: 'fails' },
        headers: { 'X-Amz-Log-Type': 'Tail' },
        body: { Payload: { message: 'kaput' } },
      },
      context(emulator.url),
    );
    expect(report.outcome).toBe('function-error');
    expect(report.error).toMatchObject({ code: 'FUNCTION_ERROR', message: expect.stringContaining('kaput') });
    expect(report.error?.functionErrorCode).toBeTruthy();
    expect(report.error?.hint).toMatch(/log tail/);
    expect(report.log?.text).toContain('about to fail');
    expect(report.output?.preview.text).toBe('partial output before the failure\n');
  });

  it('lists validation issues field by field and sends nothing', async () => {
    const server = await countingServer();
    try {
      const report = await testRequest(
        { path: { FunctionName: 'not a valid name!' }, headers: { 'X-Amz-Log-Type': 'Loud' } },
        context(server.url),
      );
      expect(report.outcome).toBe('invalid-input');
      expect(report.issues?.map((i) => i.path).sort()).toEqual([
        'headers.X-Amz-Log-Type',
        'path.FunctionName',
      ]);
      expect(report.request).toBeUndefined();
      expect(server.count()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('hints at the function name, qualifier and region for an unknown function', async () => {
    const report = await testRequest({ path: { FunctionName: 'no-such-function' } }, context(emulator.url));
    expect(report.outcome).toBe('failed');
    expect(report.error).toMatchObject({ statusCode: 404, awsErrorType: 'ResourceNotFoundException' });
    expect(report.error?.hint).toMatch(/function name.*Qualifier.*region/);
    expect(report.response?.statusCode).toBe(404);
  });

  it('supports DryRun: 204, nothing ran', async () => {
    const report = await testRequest(
      { path: { FunctionName: 'echo' }, headers: { 'X-Amz-Invocation-Type': 'DryRun' } },
      context(emulator.url),
    );
    expect(report.outcome).toBe('dry-run');
    expect(report.summary).toBe('dry run: 204, parameters and permission checked, nothing ran');
    expect(report.response?.events).toEqual([]);
  });

  it('hints at throttling when the service answers 429', async () => {
    const report = await testRequest(
      { path: { FunctionName: 'echo' }, settings: { retry: { maxAttempts: 1 } } },
      context(throttling.url),
    );
    expect(report.outcome).toBe('failed');
    expect(report.error).toMatchObject({ code: 'THROTTLED', statusCode: 429 });
    expect(report.error?.hint).toMatch(/concurrency/);
  });

  it('caps the event list and the previews but keeps the completion event', async () => {
    const report = await testRequest(
      { path: { FunctionName: 'tokens' }, body: { Payload: { count: 30, delayMs: 0 } } },
      context(emulator.url),
      { limits: { maxEvents: 5, maxPreviewBytes: 8 } },
    );
    const response = report.response!;
    expect(response.chunks).toBe(30);
    expect(response.events).toHaveLength(6);
    expect(response.events.at(-1)?.eventType).toBe('InvokeComplete');
    expect(response.eventsOmitted).toBe(25);
    expect(report.output?.preview.truncated).toBe(true);
    expect(report.output?.preview.text?.length).toBeLessThanOrEqual(8);
  });

  it('warns that the curl command is unreliable for a qualified name', async () => {
    const report = await testRequest({ path: { FunctionName: 'echo:live' } }, context(emulator.url));
    expect(report.outcome).toBe('success');
    expect(report.request?.curl.reliable).toBe(false);
    expect(report.request?.curl.note).toMatch(/Not reliable/);
  });
});
