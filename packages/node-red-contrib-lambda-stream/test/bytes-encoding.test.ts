/**
 * The core's `bytes` encoding in a flow: chunks and a non-JSON aggregated payload reach the flow as
 * Buffers over the core's own memory (what broke: the core's Uint8Arrays went out as they were, and a
 * join node took them for strings), `buffer` from older flows still gives what it gave, and the
 * editor says what each choice does in Node-RED rather than the schema's words for JSON hosts.
 */
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { EmulatorHandle } from 'lambda-stream-task/emulator';
import { EMULATOR_KEYS, joinNode, largePattern, taskFlow } from './support/flows.js';
import { ALL_NODES, collect, emulator, helper, startServer, stopServer } from './support/node-red-harness.js';

const require = createRequire(import.meta.url);
const { asBuffer } = require('../lib/as-buffer.js') as { asBuffer: (bytes: Uint8Array) => Buffer };
const { definition } = require('../lib/load-core.js') as {
  definition: () => { task: { settings: Array<{ fields: Array<Record<string, unknown>> }> } };
};

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

/** One message in (a fresh flow, so a test may run several), the messages on `out` once `until` holds. */
async function run(node: Record<string, unknown>, payload: unknown, until: (m: Msg[]) => boolean) {
  await helper.unload();
  await helper.load(ALL_NODES, taskFlow(lambda.url, node), EMULATOR_KEYS);
  const out = collect(helper.getNode('out'), until as never, caught());
  helper.getNode('ls').receive({ payload });
  return (await out.done) as Msg[];
}
const ended = (m: Msg[]) => m.some((x) => x.parts?.count !== undefined);

describe('outputEncoding bytes', () => {
  it('sends each chunk as a Buffer (parts.type buffer) and a join node rebuilds the exact bytes', async () => {
    const node = { functionName: 'large', outputMode: 'chunked', outputEncoding: 'bytes' };
    const chunks = await run(node, { mib: 0.25, chunkKiB: 7 }, ended);
    expect(chunks.length).toBeGreaterThan(2);
    for (const m of chunks) {
      expect(Buffer.isBuffer(m.payload)).toBe(true);
      expect(m.parts?.type).toBe('buffer');
    }
    expect(Buffer.concat(chunks.map((m) => m.payload as Buffer)).equals(largePattern(256 * 1024))).toBe(true);

    const wires = [['j1'], ['done']];
    const extra = [joinNode('j1', [['joined']]), { id: 'joined', type: 'helper' }];
    await helper.unload();
    await helper.load(ALL_NODES, taskFlow(lambda.url, node, extra, wires), EMULATOR_KEYS);
    const joined = collect(helper.getNode('joined'), (m) => m.length === 1, caught());
    helper.getNode('ls').receive({ payload: { mib: 1, chunkKiB: 7 } });
    const [msg] = (await joined.done) as Msg[];
    expect(Buffer.isBuffer(msg?.payload) && (msg.payload as Buffer).equals(largePattern(1024 * 1024))).toBe(
      true,
    );
  });

  it('in aggregated mode gives a binary payload as a Buffer and a JSON one parsed', async () => {
    const node = { functionName: 'large', outputMode: 'aggregated', outputEncoding: 'bytes' };
    const [binary] = await run(node, { mib: 0.25, chunkKiB: 7 }, (m) => m.length === 1);
    expect(Buffer.isBuffer(binary?.payload)).toBe(true);
    expect((binary!.payload as Buffer).equals(largePattern(256 * 1024))).toBe(true);
    expect(binary?.lambda).toMatchObject({ payloadEncoding: 'bytes' });
    const echo = { functionName: 'echo', outputMode: 'aggregated', outputEncoding: 'bytes' };
    const [json] = await run(echo, { hello: 'bytes' }, (m) => m.length === 1);
    expect(json?.payload).toEqual({ hello: 'bytes' });
    expect(json?.lambda).toMatchObject({ payloadEncoding: 'json' });
  });

  it('wraps the core bytes without a copy', () => {
    const memory = new ArrayBuffer(16);
    const view = new Uint8Array(memory, 4, 8);
    const buffer = asBuffer(view);
    expect(Buffer.isBuffer(buffer)).toBe(true);
    expect([buffer.buffer, buffer.byteOffset, buffer.byteLength]).toEqual([memory, 4, 8]);
  });
});

describe('outputEncoding buffer (flows made before bytes)', () => {
  it('still gives a Buffer of the exact bytes in aggregated mode, a JSON result included', async () => {
    const node = { functionName: 'echo', outputMode: 'aggregated', outputEncoding: 'buffer' };
    const [msg] = await run(node, { hello: 'buffer' }, (m) => m.length === 1);
    expect(Buffer.isBuffer(msg?.payload)).toBe(true);
    expect((msg!.payload as Buffer).toString('utf8')).toBe('{"hello":"buffer"}');
  });

  it('still sends Buffer chunks in chunked mode', async () => {
    const node = { functionName: 'tokens', outputMode: 'chunked', outputEncoding: 'buffer' };
    const chunks = await run(node, { count: 3, delayMs: 0 }, ended);
    expect(chunks.every((m) => Buffer.isBuffer(m.payload) && m.parts?.type === 'buffer')).toBe(true);
    expect(Buffer.concat(chunks.map((m) => m.payload as Buffer)).toString()).toBe('The quick model');
  });
});

describe('the editor', () => {
  it('offers the schema encodings and buffer, saying what each does in a flow', async () => {
    const fields = definition().task.settings.flatMap((g) => g.fields);
    const encoding = fields.find((f) => f.prop === 'outputEncoding')!;
    const { formRow } = (await import('../scripts/render-html.mjs')) as {
      formRow: (field: unknown) => string;
    };
    const row = formRow(encoding);
    const options = [...row.matchAll(/<option value="([^"]*)">([^<]*)<\/option>/g)].map((m) => [m[1], m[2]]);
    expect(options).toEqual([
      ['', 'default (utf8)'],
      ['utf8', 'utf8'],
      ['base64', 'base64'],
      ['bytes', 'bytes (Buffers)'],
      ['buffer', 'buffer (a Buffer even for JSON)'],
    ]);
    expect(encoding.description).toContain('Buffers of the exact bytes');
    expect(encoding.description).not.toContain('Uint8Array');
  });
});
