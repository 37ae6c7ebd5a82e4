// Plain Invoke (POST /2015-03-31/functions/{FunctionName}/invocations) through the official SDK's
// InvokeCommand: a streaming function's output is buffered into one body, as the service does,
// with the function error, log tail, executed version, DryRun and the 6 MB response limit.

import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmulatorHandle, startEmulator } from '../../src/emulator/index.js';
import { FIXTURES, payload, rejection, sdkClient } from './helpers.js';

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

const text = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? []).toString('utf8');

describe('Invoke through the official SDK', () => {
  it('buffers a streaming handler’s writes into one payload', async () => {
    const output = await client.send(
      new InvokeCommand({ FunctionName: 'tokens', Payload: payload({ count: 4, delayMs: 1 }) }),
    );
    expect(output.StatusCode).toBe(200);
    expect(output.ExecutedVersion).toBe('$LATEST');
    expect(output.FunctionError).toBeUndefined();
    expect(output.LogResult).toBeUndefined();
    expect(text(output.Payload)).toBe('The quick model streams');
  });

  it('returns a plain handler’s result as JSON and honours qualifiers', async () => {
    const plain = await fixtureClient.send(
      new InvokeCommand({ FunctionName: 'plain', Payload: payload({ a: 1 }) }),
    );
    expect(JSON.parse(text(plain.Payload))).toEqual({ received: { a: 1 }, kind: 'plain' });
    const aliased = await client.send(
      new InvokeCommand({ FunctionName: 'echo:live', Payload: payload({ b: 2 }) }),
    );
    expect(aliased.ExecutedVersion).toBe('2');
    expect(JSON.parse(text(aliased.Payload))).toEqual({ b: 2 });
  });

  it('reports a function error in X-Amz-Function-Error with the error object as the payload, and the log tail', async () => {
    const output = await client.send(
      new InvokeCommand({
        FunctionName: 'fails',
        Payload: payload({ message: 'out of tokens' }),
        LogType: 'Tail',
      }),
    );
    expect(output.StatusCode).toBe(200);
    expect(output.FunctionError).toBe('Unhandled');
    const error = JSON.parse(text(output.Payload)) as {
      errorType: string;
      errorMessage: string;
      trace: string[];
    };
    expect(error.errorType).toBe('Error');
    expect(error.errorMessage).toBe('out of tokens');
    expect(error.trace[0]).toBe('Error: out of tokens');
    const log = Buffer.from(output.LogResult ?? '', 'base64').toString('utf8');
    const requestId = output.$metadata.requestId;
    expect(log).toContain(`START RequestId: ${requestId} Version: $LATEST`);
    expect(log).toMatch(new RegExp(`\\t${requestId}\\tINFO\\tabout to fail\\n`));
    expect(log).toContain(`REPORT RequestId: ${requestId}\tDuration:`);
  });

  it('answers over 6 MB with Function.ResponseSizeTooLarge, as the service does', async () => {
    const output = await client.send(
      new InvokeCommand({ FunctionName: 'large', Payload: payload({ mib: 7, chunkKiB: 512 }) }),
    );
    expect(output.StatusCode).toBe(200);
    expect(output.FunctionError).toBe('Unhandled');
    expect(JSON.parse(text(output.Payload))).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
    });
    const fits = await client.send(
      new InvokeCommand({ FunctionName: 'large', Payload: payload({ mib: 6 }) }),
    );
    expect(fits.FunctionError).toBeUndefined();
    const body = Buffer.from(fits.Payload ?? []);
    expect(body.length).toBe(6 * 1024 * 1024);
    expect(body[1000]).toBe(1000 % 251);
  });

  it('keeps the HTTP-integration prelude in the buffered payload', async () => {
    const output = await fixtureClient.send(
      new InvokeCommand({ FunctionName: 'http-stream', Payload: payload({}) }),
    );
    const body = Buffer.from(output.Payload ?? []);
    const cut = body.indexOf(Buffer.alloc(8));
    expect(JSON.parse(body.subarray(0, cut).toString('utf8'))).toEqual({
      statusCode: 201,
      headers: { 'x-custom': 'yes' },
      cookies: ['a=1'],
    });
    expect(body.subarray(cut + 8).toString('utf8')).toBe('created');
  });

  it('answers DryRun with 204 and Event with 202', async () => {
    const dry = await client.send(new InvokeCommand({ FunctionName: 'fails', InvocationType: 'DryRun' }));
    expect(dry.StatusCode).toBe(204);
    const event = await client.send(
      new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: payload({}) }),
    );
    expect(event.StatusCode).toBe(202);
  });

  it('applies the streaming operation’s rules: unknown function, mismatched qualifier, bad log type', async () => {
    const missing = await rejection(client.send(new InvokeCommand({ FunctionName: 'nope' })));
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.message).toBe('Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope');
    const mismatch = await rejection(
      client.send(new InvokeCommand({ FunctionName: 'echo:live', Qualifier: 'dev' })),
    );
    expect(mismatch.name).toBe('InvalidParameterValueException');
    const prototype = await rejection(
      client.send(new InvokeCommand({ FunctionName: 'echo', Qualifier: 'constructor' })),
    );
    expect(prototype.name).toBe('ResourceNotFoundException');
    const badKey = await rejection(
      sdkClient(samples.url, { accessKeyId: 'test', secretAccessKey: 'wrong' }).send(
        new InvokeCommand({ FunctionName: 'echo' }),
      ),
    );
    expect(badKey.name).toBe('InvalidSignatureException');
  });
});
