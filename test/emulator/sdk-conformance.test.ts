// The official @aws-sdk/client-lambda must not be able to tell the emulator from the service on
// the cases it covers: events, completion, errors as typed exceptions, DryRun, qualifiers, names.

import { InvokeWithResponseStreamCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmulatorHandle, startEmulator } from '../../src/emulator/index.js';
import { FIXTURES, invokeWithSdk, payload, rejection, sdkClient } from './helpers.js';

let samples: EmulatorHandle;
let fixtures: EmulatorHandle;
let client: LambdaClient;
let fixtureClient: LambdaClient;

beforeAll(async () => {
  samples = await startEmulator();
  fixtures = await startEmulator({ functionsDir: FIXTURES });
  client = sdkClient(samples.url);
  fixtureClient = sdkClient(fixtures.url);
});

afterAll(async () => {
  client.destroy();
  fixtureClient.destroy();
  await samples.close();
  await fixtures.close();
});

/** A command that carries an extra header (added before signing, as any SDK middleware would). */
function withHeaders(command: InvokeWithResponseStreamCommand, headers: Record<string, string>) {
  command.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers: Record<string, string> };
      Object.assign(request.headers, headers);
      return next(args);
    },
    { step: 'build', name: 'extraHeaders' },
  );
  return command;
}

describe('streaming through the official SDK', () => {
  it('delivers each write as a PayloadChunk in order, then an empty InvokeComplete', async () => {
    const result = await invokeWithSdk(client, {
      FunctionName: 'tokens',
      Payload: payload({ prompt: '', count: 6, delayMs: 1 }),
    });
    expect(result.output.StatusCode).toBe(200);
    expect(result.output.ExecutedVersion).toBe('$LATEST');
    expect(result.output.ResponseStreamContentType).toBe('application/vnd.amazon.eventstream');
    expect(result.output.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.chunks.map(String)).toEqual(['The', ' quick', ' model', ' streams', ' tokens', ' as']);
    expect(result.complete).toEqual({});
    expect(result.completes).toBe(1);
  });

  it('streams the payload back (echo) and records split across chunks (ndjson)', async () => {
    const echo = await invokeWithSdk(client, { FunctionName: 'echo', Payload: payload({ hello: 'wörld' }) });
    expect(JSON.parse(echo.text)).toEqual({ hello: 'wörld' });

    const nd = await invokeWithSdk(client, {
      FunctionName: 'ndjson',
      Payload: payload({ records: 5, chunkBytes: 7 }),
    });
    expect(nd.output.ResponseStreamContentType).toBe('application/x-ndjson');
    expect(nd.chunks.length).toBeGreaterThan(5);
    expect(nd.chunks.every((c) => c.length <= 7)).toBe(true);
    const records = nd.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { seq: number });
    expect(records.map((r) => r.seq)).toEqual([0, 1, 2, 3, 4]);
  });

  it('streams a large response byte-exact (large)', async () => {
    const result = await invokeWithSdk(client, {
      FunctionName: 'large',
      Payload: payload({ mib: 2, chunkKiB: 256 }),
    });
    const body = Buffer.concat(result.chunks);
    expect(body.length).toBe(2 * 1024 * 1024);
    expect(result.chunks.length).toBe(8);
    let wrong = 0;
    for (let i = 0; i < body.length; i += 1) if (body[i] !== i % 251) wrong += 1;
    expect(wrong).toBe(0);
    expect(result.complete).toEqual({});
  });

  it('reports a thrown error in InvokeComplete after the output written before it, with the tail log', async () => {
    const result = await invokeWithSdk(client, {
      FunctionName: 'fails',
      Payload: payload({ message: 'no more tokens' }),
      LogType: 'Tail',
    });
    expect(result.output.StatusCode).toBe(200);
    expect(result.text).toBe('partial output before the failure\n');
    expect(result.complete?.ErrorCode).toBe('Error');
    expect(result.complete?.ErrorDetails).toBe('no more tokens');
    const log = Buffer.from(result.complete?.LogResult ?? '', 'base64').toString('utf8');
    const requestId = result.output.$metadata.requestId;
    expect(log).toContain(`START RequestId: ${requestId} Version: $LATEST`);
    expect(log).toMatch(new RegExp(`\\t${requestId}\\tINFO\\tabout to fail\\n`));
    expect(log).toMatch(new RegExp(`\\t${requestId}\\tERROR\\tfailing now\\n`));
    expect(log).toContain('"errorMessage":"no more tokens"');
    expect(log).toContain(`END RequestId: ${requestId}`);
    expect(log).toContain(`REPORT RequestId: ${requestId}\tDuration:`);
  });

  it('keeps only the last 4 KB of the log in LogResult, and none without Tail', async () => {
    const noisy = await invokeWithSdk(client, {
      FunctionName: 'tokens',
      Payload: payload({ count: 0 }),
      LogType: 'None',
    });
    expect(noisy.complete).toEqual({});
    const tail = await invokeWithSdk(fixtureClient, {
      FunctionName: 'logger',
      Payload: payload({ tag: 'x'.repeat(600) }),
      LogType: 'Tail',
    });
    const log = Buffer.from(tail.complete?.LogResult ?? '', 'base64');
    expect(log.length).toBe(4096);
    expect(log.toString('utf8')).toContain('REPORT RequestId:');
    expect(log.toString('utf8')).not.toContain('START RequestId:');
  });

  it('answers DryRun with 204 and runs nothing', async () => {
    const output = await client.send(
      new InvokeWithResponseStreamCommand({
        FunctionName: 'fails',
        InvocationType: 'DryRun',
        Payload: payload({}),
      }),
    );
    expect(output.StatusCode).toBe(204);
    expect(output.$metadata.requestId).toBeDefined();
  });

  it('exposes the HTTP-integration prelude and its content type (HttpResponseStream)', async () => {
    const result = await invokeWithSdk(fixtureClient, { FunctionName: 'http-stream', Payload: payload({}) });
    expect(result.output.ResponseStreamContentType).toBe(
      'application/vnd.awslambda.http-integration-response',
    );
    const body = Buffer.concat(result.chunks);
    const cut = body.indexOf(Buffer.alloc(8));
    expect(JSON.parse(body.subarray(0, cut).toString('utf8'))).toEqual({
      statusCode: 201,
      headers: { 'x-custom': 'yes' },
      cookies: ['a=1'],
    });
    expect(body.subarray(cut + 8).toString('utf8')).toBe('created');
  });
});

describe('names and qualifiers', () => {
  const forms: Array<[string, string, string | undefined, string]> = [
    ['a plain name', 'echo', undefined, '$LATEST'],
    ['name:version', 'echo:1', undefined, '1'],
    ['name:alias', 'echo:live', undefined, '2'],
    ['a partial ARN', '000000000000:function:echo', undefined, '$LATEST'],
    ['a full ARN', 'arn:aws:lambda:us-east-1:000000000000:function:echo', undefined, '$LATEST'],
    ['a full ARN with qualifier', 'arn:aws:lambda:us-east-1:000000000000:function:echo:2', undefined, '2'],
    ['Qualifier=$LATEST', 'echo', '$LATEST', '$LATEST'],
    ['Qualifier=version', 'echo', '1', '1'],
    ['Qualifier=alias', 'echo', 'live', '2'],
    ['Qualifier=alias of $LATEST', 'echo', 'dev', '$LATEST'],
  ];
  it.each(forms)('resolves %s', async (_what, name, qualifier, version) => {
    const result = await invokeWithSdk(client, {
      FunctionName: name,
      ...(qualifier === undefined ? {} : { Qualifier: qualifier }),
      Payload: payload({ n: 1 }),
    });
    expect(result.output.ExecutedVersion).toBe(version);
    expect(JSON.parse(result.text)).toEqual({ n: 1 });
  });

  it.each([
    ['an unknown function', { FunctionName: 'no-such-function' }],
    ['an unknown version', { FunctionName: 'echo', Qualifier: '7' }],
    ['an unknown alias', { FunctionName: 'echo', Qualifier: 'nope' }],
    ['an unknown alias in the name', { FunctionName: 'echo:nope' }],
  ])('refuses %s with ResourceNotFoundException (404)', async (_what, input) => {
    const error = await rejection(
      client.send(new InvokeWithResponseStreamCommand({ ...input, Payload: payload({}) })),
    );
    expect(error.name).toBe('ResourceNotFoundException');
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(404);
    expect(error.message).toContain('Function not found: arn:aws:lambda:us-east-1:000000000000:function:');
  });

  it('refuses a qualifier in the name that contradicts Qualifier', async () => {
    const error = await rejection(
      client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'echo:1', Qualifier: '2' })),
    );
    expect(error.name).toBe('InvalidParameterValueException');
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(400);
  });
});

describe('service errors as typed SDK exceptions', () => {
  it('RequestTooLargeException (413) for a payload over 6 MB', async () => {
    const big = Buffer.alloc(6_291_457, 0x20);
    big[0] = 0x22;
    const error = await rejection(
      client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'echo', Payload: big })),
    );
    expect(error.name).toBe('RequestTooLargeException');
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(413);
  });

  it('accepts a payload of exactly 6 MB', async () => {
    const text = `"${'a'.repeat(6_291_456 - 2)}"`;
    const result = await invokeWithSdk(client, { FunctionName: 'echo', Payload: Buffer.from(text) });
    expect(Buffer.concat(result.chunks).length).toBe(6_291_456);
  });

  it('InvalidRequestContentException (400) for a payload that is not JSON', async () => {
    const error = await rejection(
      client.send(
        new InvokeWithResponseStreamCommand({ FunctionName: 'echo', Payload: Buffer.from('{not json') }),
      ),
    );
    expect(error.name).toBe('InvalidRequestContentException');
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(400);
    expect(error.message).toContain('Could not parse request body into json');
  });

  it('treats an empty payload as {}', async () => {
    const result = await invokeWithSdk(client, { FunctionName: 'echo' });
    expect(result.text).toBe('{}');
  });

  it('UnsupportedMediaTypeException (415) for a multipart body', async () => {
    const command = withHeaders(
      new InvokeWithResponseStreamCommand({ FunctionName: 'echo', Payload: payload({}) }),
      {
        'content-type': 'multipart/form-data; boundary=x',
      },
    );
    const error = await rejection(client.send(command));
    expect(error.name).toBe('UnsupportedMediaTypeException');
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(415);
  });

  it('InvalidRequestContentException for a client context that is not base64 JSON', async () => {
    const error = await rejection(
      client.send(
        new InvokeWithResponseStreamCommand({ FunctionName: 'echo', ClientContext: 'bm90IGpzb24=' }),
      ),
    );
    expect(error.name).toBe('InvalidRequestContentException');
  });

  // What broke (issue 11, defect 3): a 3,612-character context got "must be a valid Base64-encoded
  // JSON object", which sent the caller looking at its encoding instead of its size.
  it('counts the client context in base64 characters and says the limit when it is over', async () => {
    const context = (bytes: number) =>
      Buffer.from(JSON.stringify({ custom: 'x'.repeat(bytes) })).toString('base64');
    const at = context(2670);
    expect(at.length).toBe(3580);
    const ok = await invokeWithSdk(client, { FunctionName: 'echo', ClientContext: at, Payload: payload({}) });
    expect(ok.output.StatusCode).toBe(200);
    const over = context(2696);
    expect(over.length).toBe(3612);
    const error = await rejection(
      client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'echo', ClientContext: over })),
    );
    expect(error.name).toBe('InvalidRequestContentException');
    expect(error.message).toBe('Client context must be at most 3,583 characters of Base64 (got 3,612).');
  });

  it('TooManyRequestsException (429) with Retry-After and Reason when throttled', async () => {
    const command = withHeaders(
      new InvokeWithResponseStreamCommand({ FunctionName: 'echo', Payload: payload({}) }),
      {
        'x-emulator-fault': JSON.stringify({ throttle: 1, retryAfterSeconds: 7, key: 'sdk-throttle' }),
      },
    );
    const error = await rejection(client.send(command));
    expect(error.name).toBe('TooManyRequestsException');
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(429);
    expect(error.retryAfterSeconds).toBe('7');
    expect(error.Reason).toBe('ConcurrentInvocationLimitExceeded');
  });

  it('ServiceException (500) on an injected server error', async () => {
    const command = withHeaders(
      new InvokeWithResponseStreamCommand({ FunctionName: 'echo', Payload: payload({}) }),
      {
        'x-emulator-fault': JSON.stringify({ serverError: 1, key: 'sdk-500' }),
      },
    );
    const error = await rejection(client.send(command));
    expect(error.name).toBe('ServiceException');
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(500);
  });

  it('refuses a request signed with an unknown key id (UnrecognizedClientException, 403)', async () => {
    const stranger = sdkClient(samples.url, { accessKeyId: 'AKIDSTRANGER', secretAccessKey: 'test' });
    const error = await rejection(
      stranger.send(new InvokeWithResponseStreamCommand({ FunctionName: 'fails' })),
    );
    stranger.destroy();
    expect(error.name).toBe('UnrecognizedClientException');
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(403);
  });

  it('refuses a request signed with the wrong secret (InvalidSignatureException, 403)', async () => {
    const wrong = sdkClient(samples.url, { accessKeyId: 'test', secretAccessKey: 'not-the-secret' });
    const error = await rejection(wrong.send(new InvokeWithResponseStreamCommand({ FunctionName: 'fails' })));
    wrong.destroy();
    expect(error.name).toBe('InvalidSignatureException');
    expect((error.$metadata as { httpStatusCode: number }).httpStatusCode).toBe(403);
  });

  it('accepts any region in the signature and names it in ARNs', async () => {
    const tokyo = sdkClient(fixtures.url, undefined, 'ap-northeast-1');
    const result = await invokeWithSdk(tokyo, {
      FunctionName: 'context',
      Qualifier: 'prod',
      Payload: payload({}),
    });
    tokyo.destroy();
    expect(JSON.parse(result.text).invokedFunctionArn).toBe(
      'arn:aws:lambda:ap-northeast-1:000000000000:function:context:prod',
    );
  });
});
