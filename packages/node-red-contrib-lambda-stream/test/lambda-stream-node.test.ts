import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { EmulatorHandle } from 'lambda-stream-task/emulator';
import { ALL_NODES, collect, emulator, helper, startServer, stopServer } from './support/node-red-harness.js';

let lambda: EmulatorHandle;

beforeAll(async () => {
  lambda = await emulator();
  await startServer();
});
afterAll(async () => {
  await stopServer();
  await lambda.close();
});
afterEach(() => helper.unload());

function flow(node: Record<string, unknown>, extra: unknown[] = []) {
  return [
    { id: 'aws', type: 'lambda-stream-aws', name: 'emulator', region: 'us-east-1', endpoint: lambda.url },
    { id: 'ls', type: 'lambda-stream', aws: 'aws', wires: [['out'], ['done']], ...node },
    { id: 'out', type: 'helper' },
    { id: 'done', type: 'helper' },
    ...extra,
  ];
}
const KEYS = { aws: { accessKeyId: 'test', secretAccessKey: 'test' } };

describe('lambda-stream node, aggregated mode', () => {
  it('sends one message with the function output as msg.payload and the rest of the result on msg.lambda', async () => {
    await helper.load(ALL_NODES, flow({ functionName: 'echo', outputMode: 'aggregated' }), KEYS);
    const out = collect(helper.getNode('out'), (m) => m.length === 1);
    helper.getNode('ls').receive({ payload: { hello: 'node-red' } });
    const [msg] = await out.done;
    expect(msg?.payload).toEqual({ hello: 'node-red' });
    expect(msg?.lambda).toMatchObject({ statusCode: 200, payloadEncoding: 'json', chunks: expect.any(Number) });
  });
});
