// `watch`: editing a function's file starts fresh instances with the new code, without a restart,
// and says which function was reloaded (in library mode through onLog, on the CLI on stderr).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../src/emulator/index.js';
import { runEmulate } from '../../src/hosts/cli/emulate-command.js';
import { invokeWithSdk, sdkClient, until } from './helpers.js';

const version = (text: string): string =>
  `let calls = 0;\nexport const handler = awslambda.streamifyResponse(async (event, responseStream) => {\n  calls += 1;\n  responseStream.end(\`${text} call \${calls}\`);\n});\n`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emulator-watch-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('watch', () => {
  it('reloads an edited function in fresh instances and says which one', async () => {
    const folder = await mkdtemp(join(dir, 'lib-'));
    await writeFile(join(folder, 'greet.mjs'), version('v1'));
    await writeFile(join(folder, 'stay.mjs'), version('stay'));
    const lines: string[] = [];
    const emulator = await startEmulator({ functionsDir: folder, watch: true, onLog: (l) => lines.push(l) });
    const client = sdkClient(emulator.url);
    try {
      expect((await invokeWithSdk(client, { FunctionName: 'greet' })).text).toBe('v1 call 1');
      expect((await invokeWithSdk(client, { FunctionName: 'greet' })).text).toBe('v1 call 2');
      expect((await invokeWithSdk(client, { FunctionName: 'stay' })).text).toBe('stay call 1');
      await writeFile(join(folder, 'greet.mjs'), version('v2'));
      await until(() => lines.includes('emulator: reloaded function greet'), 'the reload message');
      expect((await invokeWithSdk(client, { FunctionName: 'greet' })).text).toBe('v2 call 1');
      // The other function's instance was not touched: its module state goes on.
      expect((await invokeWithSdk(client, { FunctionName: 'stay' })).text).toBe('stay call 2');
      expect(lines).not.toContain('emulator: reloaded function stay');
    } finally {
      client.destroy();
      await emulator.close();
    }
  });

  it('is the emulate command’s --watch, printing reloads on stderr', async () => {
    const folder = await mkdtemp(join(dir, 'cli-'));
    await writeFile(join(folder, 'greet.mjs'), version('v1'));
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const stop = new AbortController();
    const io = { stdout, stderr, stdin: new PassThrough(), env: {}, cwd: dir, isTTY: false };
    const done = runEmulate(['--functions', folder, '--watch'], io, stop.signal);
    await until(() => out.includes('Press Ctrl-C'), 'the emulator to start');
    const url = /listening on (http:\/\/\S+)/.exec(out)?.[1] ?? '';
    const client = sdkClient(url);
    try {
      expect((await invokeWithSdk(client, { FunctionName: 'greet' })).text).toBe('v1 call 1');
      await writeFile(join(folder, 'greet.mjs'), version('v2'));
      await until(() => err.includes('emulator: reloaded function greet\n'), 'the reload message on stderr');
      expect((await invokeWithSdk(client, { FunctionName: 'greet' })).text).toBe('v2 call 1');
    } finally {
      client.destroy();
      stop.abort();
      expect(await done).toBe(0);
    }
  });
});
