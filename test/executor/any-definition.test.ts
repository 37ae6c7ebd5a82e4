/**
 * The executor knows nothing of the API that the definition does not say. What broke: the plain
 * Invoke definition loaded and validated, but executing it failed in both modes with
 * STREAM_INCOMPLETE (a `payload` response had no code path), and the response side was code (event
 * names, header names, error header and keys, setting names). Here the packaged Invoke definition and
 * a renamed copy of the streaming one run against test servers that speak exactly their protocol.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadManifest } from '../../src/definition/load-manifest.js';
import { encodeMessage } from '../../src/eventstream/encode-message.js';
import { createExecutor } from '../../src/execute.js';
import type { OutputEvent } from '../../src/generated/output-event.js';
import { packagePath } from '../../src/paths.js';
import {
  eventStream,
  type StreamServer,
  startStreamServer,
  streamResponse,
  TEST_CREDENTIALS,
  writeInPieces,
} from '../support/stream-server.js';
import { collect, inputFor, quietContext } from './helpers.js';

const INVOKE = loadManifest(packagePath('definitions', 'invoke.manifest.json'));
const RENAMED = loadManifest(join(import.meta.dirname, '..', 'fixtures', 'renamed', 'manifest.json'));
const LOG = 'START RequestId: r-1\nEND RequestId: r-1\n';

let lambda: StreamServer;
let acme: StreamServer;
beforeAll(async () => {
  lambda = await startStreamServer();
  acme = await startStreamServer({ service: 'acme', errorTypeHeader: 'x-acme-error' });
});
afterAll(async () => {
  await lambda.close();
  await acme.close();
});

/** Strip what legitimately differs between two runs (timings). */
function timeless(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, v) => (/Ms$/.test(key) ? undefined : v));
}

describe('the Invoke definition (a plain payload response)', () => {
  const executor = createExecutor({ manifest: INVOKE });
  const answer = (headers: Record<string, string>, body: string, status = 200, pieceSize = 7) =>
    lambda.respond(async (_req, res) => {
      res.writeHead(status, {
        'content-type': 'application/json',
        'x-amz-executed-version': '$LATEST',
        'x-amzn-requestid': 'invoke-1',
        ...headers,
      });
      await writeInPieces(res, Buffer.from(body), pieceSize);
      res.end();
    });

  it('aggregates the body into the same result shape, with the function error and log from headers', async () => {
    answer({ 'x-amz-log-result': Buffer.from(LOG).toString('base64') }, '{"answer":42,"list":[1,2,3]}');
    const result = await executor.invoke(
      inputFor(lambda.url, { query: { Qualifier: '1' }, headers: { 'X-Amz-Log-Type': 'Tail' } }),
      quietContext(),
    );
    expect(result).toMatchObject({
      statusCode: 200,
      executedVersion: '$LATEST',
      requestId: 'invoke-1',
      payload: { answer: 42, list: [1, 2, 3] },
      payloadEncoding: 'json',
      logResult: LOG,
      bytes: 28,
    });
    expect(result.functionError).toBeUndefined();
    const sent = lambda.requests.at(-1)!;
    expect(sent.url).toBe('/2015-03-31/functions/my-function/invocations?Qualifier=1');
    expect(sent.signatureOk).toBe(true);
    expect(sent.headers['x-amz-log-type']).toBe('Tail');
  });

  it('keeps the error document as the payload of a function error', async () => {
    answer({ 'x-amz-function-error': 'Unhandled' }, '{"errorType":"Error","errorMessage":"boom"}');
    const result = await executor.invoke(inputFor(lambda.url), quietContext());
    expect(result.functionError).toEqual({ errorCode: 'Unhandled' });
    expect(result.payload).toEqual({ errorType: 'Error', errorMessage: 'boom' });
  });

  it('streams the body as chunk events as it is read: start, chunks, complete', async () => {
    const body = 'x'.repeat(40);
    answer({}, body);
    const events = await collect(
      executor.invokeStream(
        inputFor(lambda.url, { settings: { outputMode: 'chunked', outputEncoding: 'utf8' } }),
        quietContext(),
      ),
    );
    expect(events[0]).toMatchObject({ type: 'start', statusCode: 200, executedVersion: '$LATEST' });
    const chunks = events.filter((e) => e.type === 'chunk');
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.map((c) => (c.type === 'chunk' ? c.data : '')).join('')).toBe(body);
    expect(events.at(-1)).toMatchObject({ type: 'complete', bytes: 40, chunks: chunks.length });
  });

  it('completes an asynchronous invocation (202, no body) in both modes', async () => {
    answer({}, '', 202);
    const input = { ...inputFor(lambda.url), headers: { 'X-Amz-Invocation-Type': 'Event' } };
    const result = await executor.invoke(input, quietContext());
    expect(result).toMatchObject({ statusCode: 202, bytes: 0, chunks: 0 });
    const events = await collect(executor.invokeStream(input, quietContext()));
    expect(events.map((e) => e.type)).toEqual(['start', 'complete']);
  });

  it('reads a service error by the definition: error type header and message key', async () => {
    lambda.respond((_req, res) => {
      res.writeHead(404, { 'x-amzn-errortype': 'ResourceNotFoundException', 'x-amzn-requestid': 'e-1' });
      res.end('{"Type":"User","Message":"Function not found: my-function"}');
    });
    await expect(executor.invoke(inputFor(lambda.url), quietContext())).rejects.toMatchObject({
      code: 'SERVICE_ERROR',
      statusCode: 404,
      awsErrorType: 'ResourceNotFoundException',
      awsMessage: 'Function not found: my-function',
      requestId: 'e-1',
      details: { fault: 'client' },
      retryable: false,
    });
  });

  it('refuses a body larger than the definition allows', async () => {
    answer({}, 'y'.repeat(INVOKE.plan.response.maxBytes! + 1), 200, 256 * 1024);
    await expect(executor.invoke(inputFor(lambda.url), quietContext())).rejects.toMatchObject({
      code: 'STREAM_MALFORMED',
    });
  });
});

/** The streaming definition's input, spelled in the renamed definition's names. */
function renamedInput(url: string, settings: Record<string, unknown> = {}): unknown {
  return {
    path: { TaskName: 'my-function' },
    headers: { 'X-Acme-Log': 'Tail', 'X-Acme-Content-Type': 'application/json' },
    query: { Revision: '7' },
    body: { Input: { hello: 'world' } },
    settings: {
      zone: 'us-east-1',
      baseUrl: url,
      keys: { ...TEST_CREDENTIALS },
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 50 },
      ...settings,
    },
  };
}

/** The same stream as `eventStream`, in the renamed protocol's event and field names. */
function renamedStream(payloads: string[], complete: Record<string, string>): Buffer {
  const event = (type: string, body: Uint8Array) =>
    encodeMessage({
      headers: {
        ':message-type': { type: 'string', value: 'event' },
        ':event-type': { type: 'string', value: type },
        ':content-type': { type: 'string', value: 'application/octet-stream' },
      },
      body,
    });
  return Buffer.concat([
    ...payloads.map((p) => event('Data', Buffer.from(p))),
    event('Done', Buffer.from(JSON.stringify(complete))),
  ]);
}

describe('a renamed copy of the streaming definition', () => {
  const renamed = createExecutor({ manifest: RENAMED });
  const original = createExecutor();
  const payloads = ['{"greeting":', '"hello"}'];
  const log = Buffer.from(LOG).toString('base64');
  const respondBoth = () => {
    lambda.respond(
      streamResponse(
        eventStream(payloads, { ErrorCode: 'Handled', ErrorDetails: 'partial', LogResult: log }),
        {
          pieceSize: 5,
          headers: { 'x-amzn-requestid': 'same-id' },
        },
      ),
    );
    acme.respond(async (_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/vnd.amazon.eventstream',
        'x-acme-version': '$LATEST',
        'x-acme-request': 'same-id',
      });
      await writeInPieces(res, renamedStream(payloads, { code: 'Handled', details: 'partial', log }), 5);
      res.end();
    });
  };
  const originalInput = () =>
    inputFor(lambda.url, {
      headers: { 'X-Amz-Log-Type': 'Tail' },
      query: { Qualifier: '7' },
      body: { Payload: { hello: 'world' } },
    });

  it('sends the request the renamed definition describes, signed for its service and zone', async () => {
    respondBoth();
    await renamed.invoke(renamedInput(acme.url), quietContext());
    const sent = acme.requests.at(-1)!;
    expect(sent.url).toBe('/v9/tasks/my-function/stream?Revision=7');
    expect(sent.signatureOk).toBe(true);
    expect(sent.headers.authorization).toMatch(/Credential=[^/]+\/\d{8}\/us-east-1\/acme\/aws4_request/);
    expect(sent.headers['x-acme-log']).toBe('Tail');
    expect(sent.headers['x-acme-content-type']).toBe('application/json');
    expect(sent.body.toString()).toBe('{"hello":"world"}');
  });

  it('gives the same aggregated result as the original definition', async () => {
    respondBoth();
    const ours = await renamed.invoke(renamedInput(acme.url), quietContext());
    const theirs = await original.invoke(originalInput(), quietContext());
    expect(ours.payload).toEqual({ greeting: 'hello' });
    expect(ours.functionError).toEqual({ errorCode: 'Handled', errorDetails: 'partial' });
    expect(ours.logResult).toBe(LOG);
    expect(timeless(ours)).toEqual(timeless(theirs));
  });

  it('gives the same chunked events as the original definition, by the renamed output-mode setting', async () => {
    respondBoth();
    const ours: OutputEvent[] = await collect(
      renamed.invokeStream(renamedInput(acme.url, { delivery: 'chunked' }), quietContext()),
    );
    const theirs = await collect(
      original.invokeStream(
        { ...originalInput(), settings: { ...originalInput().settings, outputMode: 'chunked' } },
        quietContext(),
      ),
    );
    expect(ours.map((e) => e.type)).toContain('chunk');
    expect(timeless(ours)).toEqual(timeless(theirs));
    const chunked = await renamed.execute(renamedInput(acme.url, { delivery: 'chunked' }), quietContext());
    expect(chunked.mode).toBe('chunked');
  });

  it('reads a service error by the renamed error header, message key and Retry-After header', async () => {
    acme.respond((_req, res) => {
      res.writeHead(429, {
        'x-acme-error': 'TooManyRequestsException',
        'x-acme-retry-after': '0',
        'x-acme-request': 'e-2',
      });
      res.end('{"reason":"slow down"}');
    });
    await expect(
      renamed.invoke(renamedInput(acme.url, { retry: { maxAttempts: 1 } }), quietContext()),
    ).rejects.toMatchObject({
      code: 'THROTTLED',
      awsErrorType: 'TooManyRequestsException',
      awsMessage: 'slow down',
      retryAfterSeconds: 0,
      requestId: 'e-2',
    });
  });

  it('takes the region from the renamed variable, and names the renamed setting when there is none', async () => {
    respondBoth();
    const input = renamedInput(acme.url) as { settings: Record<string, unknown> };
    delete input.settings.zone;
    await renamed.invoke(input, quietContext({ env: { ACME_ZONE: 'eu-west-1' } }));
    expect(acme.requests.at(-1)!.headers.authorization).toMatch(/\/eu-west-1\/acme\//);
    await expect(renamed.invoke(input, quietContext())).rejects.toMatchObject({
      code: 'MISSING_REGION',
      message: 'No AWS region: set settings.zone or ACME_ZONE',
    });
  });

  it('refuses the original names: its own schemas validate the input', async () => {
    await expect(renamed.invoke(originalInput(), quietContext())).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });
});
