/**
 * The packaged Invoke definition against the emulator's plain Invoke endpoint, in both modes, with the
 * same emulator also answering the streaming definition: one task, two operations, by data alone.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadManifest } from '../../src/definition/load-manifest.js';
import { type EmulatorHandle, startEmulator } from '../../src/emulator/index.js';
import { createExecutor } from '../../src/execute.js';
import { packagePath } from '../../src/paths.js';
import { collect, quietContext } from './helpers.js';

const invokeDefinition = createExecutor({
  manifest: loadManifest(packagePath('definitions', 'invoke.manifest.json')),
});
const streaming = createExecutor();

let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator({ functionsDir: packagePath('functions') });
});
afterAll(() => emulator.close());

const input = (functionName: string, payload: unknown, settings: Record<string, unknown> = {}) => ({
  path: { FunctionName: functionName },
  headers: { 'X-Amz-Log-Type': 'Tail' },
  body: { Payload: payload },
  settings: {
    region: 'us-east-1',
    endpoint: emulator.url,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    ...settings,
  },
});

describe('the Invoke definition against the emulator', () => {
  it('aggregates the buffered answer like the streaming definition aggregates the stream', async () => {
    const payload = { hello: 'world', repeat: 1 };
    const buffered = await invokeDefinition.invoke(input('echo', payload), quietContext());
    const streamed = await streaming.invoke(input('echo', payload), quietContext());
    expect(buffered).toMatchObject({ statusCode: 200, executedVersion: '$LATEST', payload });
    expect(buffered.payload).toEqual(streamed.payload);
    expect(buffered.logResult).toContain('REPORT RequestId');
  });

  it('streams the buffered body as chunk events: start, chunks, complete', async () => {
    const events = await collect(
      invokeDefinition.invokeStream(input('echo', { n: 1 }, { outputMode: 'chunked' }), quietContext()),
    );
    expect(events[0]).toMatchObject({ type: 'start', statusCode: 200 });
    const text = events.map((e) => (e.type === 'chunk' ? e.data : '')).join('');
    expect(JSON.parse(text)).toEqual({ n: 1 });
    expect(events.at(-1)).toMatchObject({ type: 'complete', bytes: Buffer.byteLength(text) });
  });

  it('reports a function error from its header, with the error document as the payload', async () => {
    const result = await invokeDefinition.invoke(input('fails', { message: 'boom' }), quietContext());
    expect(result.functionError).toEqual({ errorCode: 'Unhandled' });
    expect(result.payload).toMatchObject({ errorMessage: 'boom' });
    expect(result.logResult).toContain('about to fail');
  });
});
