import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { EmulatorHandle } from 'lambda-stream-task/emulator';
import { EMULATOR_KEYS, joinNode, largePattern, taskFlow } from './support/flows.js';
import { ALL_NODES, collect, emulator, helper, startServer, stopServer } from './support/node-red-harness.js';

type Msg = Record<string, unknown> & { parts?: Record<string, unknown>; lambda?: Record<string, unknown> };

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
const caught = () => helper.getNode('caught');

function flow(node: Record<string, unknown>, extra: unknown[] = [], wires?: string[][]) {
  return taskFlow(lambda.url, node, extra, wires);
}

describe('lambda-stream node, aggregated mode', () => {
  it('sends one message with the function output as msg.payload and the rest of the result on msg.lambda', async () => {
    await helper.load(ALL_NODES, flow({ functionName: 'echo', outputMode: 'aggregated' }), EMULATOR_KEYS);
    const out = collect(helper.getNode('out'), (m) => m.length === 1, caught());
    helper.getNode('ls').receive({ payload: { hello: 'node-red' }, topic: 'kept' });
    const [msg] = (await out.done) as Msg[];
    expect(msg?.payload).toEqual({ hello: 'node-red' });
    expect(msg?.topic).toBe('kept');
    expect(msg?.lambda).toMatchObject({
      statusCode: 200,
      payloadEncoding: 'json',
      executedVersion: '$LATEST',
    });
    expect(msg?.lambda).not.toHaveProperty('payload');
  });

  it('with the buffer encoding, gives the exact bytes as a Buffer', async () => {
    await helper.load(
      ALL_NODES,
      flow({ functionName: 'large', outputMode: 'aggregated', outputEncoding: 'buffer' }),
      EMULATOR_KEYS,
    );
    const out = collect(helper.getNode('out'), (m) => m.length === 1, caught());
    helper.getNode('ls').receive({ payload: { mib: 0.25, chunkKiB: 7 } });
    const [msg] = (await out.done) as Msg[];
    expect(Buffer.isBuffer(msg?.payload)).toBe(true);
    expect((msg!.payload as Buffer).equals(largePattern(256 * 1024))).toBe(true);
  });

  it('sends a string payload as its bytes, never as a file:// reference', async () => {
    await helper.load(ALL_NODES, flow({ functionName: 'echo' }), EMULATOR_KEYS);
    const out = collect(helper.getNode('out'), (m) => m.length === 1, caught());
    helper.getNode('ls').receive({ payload: '"file:///etc/hostname"' });
    const [msg] = (await out.done) as Msg[];
    expect(msg?.payload).toBe('file:///etc/hostname');
  });

  it('sends a fixed JSON payload configured on the node', async () => {
    await helper.load(
      ALL_NODES,
      flow({ functionName: 'echo', payloadType: 'json', payload: '{"fixed":true}' }),
      EMULATOR_KEYS,
    );
    const out = collect(helper.getNode('out'), (m) => m.length === 1, caught());
    helper.getNode('ls').receive({ payload: 'ignored' });
    const [msg] = (await out.done) as Msg[];
    expect(msg?.payload).toEqual({ fixed: true });
  });
});

describe('lambda-stream node, chunked mode', () => {
  it('sends each chunk as it arrives with msg.parts, ends the sequence, then a completion message on output 2', async () => {
    await helper.load(
      ALL_NODES,
      flow({ functionName: 'tokens', outputMode: 'chunked', logType: 'Tail' }),
      EMULATOR_KEYS,
    );
    const out = collect(helper.getNode('out'), (m) => m.some((x) => x.parts?.count !== undefined), caught());
    const done = collect(helper.getNode('done'), (m) => m.length === 1, caught());
    helper.getNode('ls').receive({ payload: { count: 5, delayMs: 0 } });
    const chunks = (await out.done) as Msg[];
    const [completion] = (await done.done) as Msg[];
    expect(chunks).toHaveLength(6);
    const id = chunks[0]?.parts?.id;
    expect(typeof id).toBe('string');
    chunks.forEach((m, i) => {
      expect(m.parts).toMatchObject({ id, index: i, type: 'string', ch: '' });
    });
    expect(chunks[5]?.parts?.count).toBe(6);
    expect(chunks[5]?.payload).toBe('');
    expect(chunks.map((m) => m.payload).join('')).toBe('The quick model streams tokens');
    expect(chunks[0]?.lambda).toMatchObject({ seq: 0, offset: 0, size: 3 });
    expect(completion?.payload).toMatchObject({ statusCode: 200, chunks: 5, bytes: 30 });
    expect((completion!.payload as { logResult?: string }).logResult).toContain('streaming 5 tokens');
  });

  it('through a real join node in automatic mode, reassembles the exact bytes of a binary stream', async () => {
    const node = { functionName: 'large', outputMode: 'chunked', outputEncoding: 'buffer' };
    await helper.load(
      ALL_NODES,
      flow(node, [joinNode('j1', [['joined']]), { id: 'joined', type: 'helper' }], [['j1'], ['done']]),
      EMULATOR_KEYS,
    );
    const joined = collect(helper.getNode('joined'), (m) => m.length === 1, caught());
    helper.getNode('ls').receive({ payload: { mib: 1, chunkKiB: 7 } });
    const [msg] = (await joined.done) as Msg[];
    expect(Buffer.isBuffer(msg?.payload)).toBe(true);
    expect((msg!.payload as Buffer).equals(largePattern(1024 * 1024))).toBe(true);
    expect(msg).not.toHaveProperty('parts');
  });

  it('keeps an incoming msg.parts underneath, so nested sequences survive the join', async () => {
    await helper.load(
      ALL_NODES,
      flow(
        { functionName: 'tokens', outputMode: 'chunked' },
        [joinNode('j1', [['joined']]), { id: 'joined', type: 'helper' }],
        [['j1'], ['done']],
      ),
      EMULATOR_KEYS,
    );
    const joined = collect(helper.getNode('joined'), (m) => m.length === 1, caught());
    const outer = { id: 'outer', index: 2, count: 4, type: 'array', len: 1 };
    helper.getNode('ls').receive({ payload: { count: 3, delayMs: 0 }, parts: outer });
    const [msg] = (await joined.done) as Msg[];
    expect(msg?.payload).toBe('The quick model');
    expect(msg?.parts).toEqual(outer);
  });
});

describe('lambda-stream node, status', () => {
  it('shows streaming progress, then done with the status, chunks and bytes', async () => {
    await helper.load(ALL_NODES, flow({ functionName: 'tokens', outputMode: 'chunked' }), EMULATOR_KEYS);
    const node = helper.getNode('ls');
    const texts: string[] = [];
    const finished = new Promise<void>((resolve) => {
      node.on('call:status', ((call: { args: Array<{ text?: string }> }) => {
        texts.push(call.args[0]?.text ?? '');
        if (texts.at(-1)?.startsWith('done')) resolve();
      }) as never);
    });
    node.receive({ payload: { count: 5, delayMs: 0 } });
    await finished;
    expect(texts[0]).toBe('calling…');
    expect(texts).toContain('streaming: 1 chunk(s), 3 B');
    expect(texts.at(-1)).toBe('done: 200, 5 chunk(s), 30 B');
  });
});

describe('lambda-stream node, msg overrides', () => {
  it('msg.functionName, msg.qualifier and msg.outputMode override the node properties for that message', async () => {
    await helper.load(ALL_NODES, flow({ functionName: 'tokens', outputMode: 'aggregated' }), EMULATOR_KEYS);
    const out = collect(helper.getNode('out'), (m) => m.some((x) => x.parts?.count !== undefined), caught());
    helper
      .getNode('ls')
      .receive({ payload: '"abc"', functionName: 'echo', qualifier: 'live', outputMode: 'chunked' });
    const chunks = (await out.done) as Msg[];
    expect(chunks.map((m) => m.payload).join('')).toBe('"abc"');
    const final = chunks[chunks.length - 1];
    expect(final?.lambda).toMatchObject({ final: true, executedVersion: '2' });
  });
});
