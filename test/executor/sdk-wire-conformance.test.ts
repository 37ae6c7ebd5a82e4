import { InvokeWithResponseStreamCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { invoke } from '../../src/execute.js';
import {
  eventStream,
  type StreamServer,
  startStreamServer,
  streamResponse,
  TEST_CREDENTIALS,
} from '../support/stream-server.js';
import { inputFor, quietContext } from './helpers.js';

// The official SDK is the reference for what goes on the wire: for the same FunctionName and
// Qualifier, our request target must be byte-for-byte the SDK's, and both must pass the
// spec-based signature check of the test server.
let server: StreamServer;
let client: LambdaClient;
beforeAll(async () => {
  server = await startStreamServer();
  server.respond(streamResponse(eventStream(['ok'])));
  client = new LambdaClient({
    region: 'us-east-1',
    endpoint: server.url,
    credentials: { ...TEST_CREDENTIALS },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await server.close();
});

const names = [
  'my-function',
  'My_Func.tion-9',
  'a',
  '_.-',
  'my-function:prod',
  'my-function:$LATEST',
  'my-function:$LATEST.PUBLISHED',
  'my-function:v_2-b',
  '123456789012:function:my-function',
  '123456789012:function:my-function:live',
  'us-west-2:123456789012:function:my.function',
  'arn:aws:lambda:us-west-2:123456789012:function:my-function',
  'arn:aws:lambda:us-west-2:123456789012:function:my-function:$LATEST',
  'arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f_1:7',
  'arn:aws-cn:lambda:cn-north-1:123456789012:function:F.n',
];
const qualifiers = [undefined, '$LATEST', '12', 'alias_name-2', '$odd$', 'A-b_C'];

async function sdkTarget(FunctionName: string, Qualifier: string | undefined): Promise<string> {
  const before = server.requests.length;
  const out = await client.send(
    new InvokeWithResponseStreamCommand({ FunctionName, ...(Qualifier === undefined ? {} : { Qualifier }) }),
  );
  for await (const _ of out.EventStream ?? []) {
    // drain
  }
  const request = server.requests[before]!;
  expect(request.signatureOk).toBe(true);
  return request.url;
}

async function ourTarget(FunctionName: string, Qualifier: string | undefined): Promise<string> {
  const before = server.requests.length;
  await invoke(
    inputFor(server.url, {
      path: { FunctionName },
      ...(Qualifier === undefined ? {} : { query: { Qualifier } }),
    }),
    quietContext(),
  );
  const request = server.requests[before]!;
  expect(request.signatureOk).toBe(true);
  return request.url;
}

describe('wire path and query equal @aws-sdk/client-lambda', () => {
  it.each(names.flatMap((n) => qualifiers.map((q) => [n, q] as const)))(
    '%s ? %s',
    async (name, qualifier) => {
      const sdk = await sdkTarget(name, qualifier);
      const ours = await ourTarget(name, qualifier);
      expect(ours).toBe(sdk);
    },
  );

  it('encodes ARN colons and $ as the reference table says', async () => {
    expect(
      await ourTarget('arn:aws:lambda:us-west-2:123456789012:function:my-function:$LATEST', '$LATEST'),
    ).toBe(
      '/2021-11-15/functions/arn%3Aaws%3Alambda%3Aus-west-2%3A123456789012%3Afunction%3Amy-function%3A%24LATEST/response-streaming-invocations?Qualifier=%24LATEST',
    );
  });
});
