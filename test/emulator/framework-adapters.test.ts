// Two real frameworks' streaming adapters run as emulator functions, unchanged: Hono's
// `streamHandle` and Middy's response-streaming execution mode. Their output arrives as several
// chunks, after the HTTP-integration prelude they write (status, headers, cookies).

import { join } from 'node:path';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmulatorHandle, startEmulator } from '../../src/emulator/index.js';
import { packagePath } from '../../src/paths.js';
import { invokeWithSdk, payload, sdkClient } from './helpers.js';

const FRAMEWORKS = packagePath(join('test', 'fixtures', 'framework-functions'));
const HTTP_INTEGRATION = 'application/vnd.awslambda.http-integration-response';
let emulator: EmulatorHandle;
let client: LambdaClient;

beforeAll(async () => {
  emulator = await startEmulator({ functionsDir: FRAMEWORKS });
  client = sdkClient(emulator.url);
});

afterAll(async () => {
  client.destroy();
  await emulator.close();
});

/** A Lambda function URL event (payload format 2.0) for a GET of `path`. */
function functionUrlEvent(path: string) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'example.lambda-url.us-east-1.on.aws', 'user-agent': 'test' },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'example',
      domainName: 'example.lambda-url.us-east-1.on.aws',
      domainPrefix: 'example',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'request',
      routeKey: '$default',
      stage: '$default',
      time: '01/Dec/2026:00:00:00 +0000',
      timeEpoch: 0,
    },
    isBase64Encoded: false,
  };
}

/** Split a streamed HTTP-integration response into its prelude and body chunks. */
function splitPrelude(chunks: Buffer[]) {
  const all = Buffer.concat(chunks);
  const cut = all.indexOf(Buffer.alloc(8));
  return {
    prelude: JSON.parse(all.subarray(0, cut).toString('utf8')) as Record<string, unknown>,
    body: all.subarray(cut + 8).toString('utf8'),
  };
}

describe('Hono streamHandle', () => {
  it('streams the response in several chunks after its prelude', async () => {
    const result = await invokeWithSdk(client, {
      FunctionName: 'hono-stream',
      Payload: payload(functionUrlEvent('/stream')),
    });
    expect(result.output.ResponseStreamContentType).toBe(HTTP_INTEGRATION);
    expect(result.complete).toEqual({});
    const { prelude, body } = splitPrelude(result.chunks);
    expect(prelude).toMatchObject({
      statusCode: 201,
      headers: { 'x-framework': 'hono', 'content-type': 'text/plain; charset=UTF-8' },
      cookies: ['session=abc'],
    });
    expect(body).toBe('part 0\npart 1\npart 2\n');
    // The parts were written one by one: each is its own chunk after the prelude.
    expect(result.chunks.map(String).filter((c) => c.startsWith('part '))).toEqual([
      'part 0\n',
      'part 1\n',
      'part 2\n',
    ]);
  });

  it('answers a failing route with the framework’s own 500', async () => {
    const result = await invokeWithSdk(client, {
      FunctionName: 'hono-stream',
      Payload: payload(functionUrlEvent('/fail')),
    });
    const { prelude, body } = splitPrelude(result.chunks);
    expect(prelude.statusCode).toBe(500);
    expect(body).toBe('Internal Server Error');
  });
});

describe('Middy streamifyResponse mode', () => {
  it('streams a Readable body in several chunks after its prelude', async () => {
    const result = await invokeWithSdk(client, {
      FunctionName: 'middy-stream',
      Payload: payload({ rows: 4 }),
    });
    expect(result.output.ResponseStreamContentType).toBe(HTTP_INTEGRATION);
    expect(result.complete).toEqual({});
    const { prelude, body } = splitPrelude(result.chunks);
    expect(prelude).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'text/plain', 'x-framework': 'middy' },
    });
    expect(body).toBe('row 0\nrow 1\nrow 2\nrow 3\n');
    expect(result.chunks.map(String).filter((c) => c.startsWith('row '))).toHaveLength(4);
  });

  it('reports the handler’s error in InvokeComplete', async () => {
    const result = await invokeWithSdk(client, {
      FunctionName: 'middy-stream',
      Payload: payload({ fail: true }),
    });
    expect(result.complete?.ErrorCode).toBe('Error');
    expect(result.complete?.ErrorDetails).toBe('middy handler failed');
  });
});
