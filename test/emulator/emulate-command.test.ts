// `lambda-stream emulate`: starts, prints how to use it, serves, and stops on its signal.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runEmulate } from '../../src/hosts/cli/emulate-command.js';
import type { CliIO } from '../../src/hosts/cli/io.js';
import { main } from '../../src/hosts/cli/main.js';
import { FIXTURES, invokeWithSdk, payload, sdkClient, until } from './helpers.js';

function captureIO(cwd: string): { io: CliIO; out: () => string; err: () => string } {
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
  return {
    io: { stdout, stderr, stdin: new PassThrough(), env: {}, cwd, isTTY: false },
    out: () => out,
    err: () => err,
  };
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'emulate-cmd-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('lambda-stream emulate', () => {
  it('prints its help through the CLI table', async () => {
    const { io, out } = captureIO(dir);
    expect(await main(['emulate', '--help'], io)).toBe(0);
    expect(out()).toContain('Usage: lambda-stream emulate [--port N]');
  });

  it('serves a functions folder with a credentials file until stopped, printing the env to use', async () => {
    const file = join(dir, 'creds.json');
    await writeFile(
      file,
      JSON.stringify([{ accessKeyId: 'AKIDLOCALEXAMPLE', secretAccessKey: 's3cr3t-value' }]),
    );
    const { io, out, err } = captureIO(dir);
    const stop = new AbortController();
    const done = runEmulate(
      ['--functions', FIXTURES, '--credentials', 'creds.json', '--port', '0'],
      io,
      stop.signal,
    );
    await until(() => out().includes('Press Ctrl-C'), 'the emulator to start');
    const url = /AWS_ENDPOINT_URL_LAMBDA=(http:\/\/127\.0\.0\.1:\d+)/.exec(out())?.[1];
    expect(url).toBeDefined();
    expect(out()).toContain('folder-fn');

    const client = sdkClient(String(url), {
      accessKeyId: 'AKIDLOCALEXAMPLE',
      secretAccessKey: 's3cr3t-value',
    });
    const result = await invokeWithSdk(client, { FunctionName: 'logger', Payload: payload({ tag: 'cli' }) });
    client.destroy();
    expect(result.text).toBe('cli');
    stop.abort();
    expect(await done).toBe(0);

    expect(err()).toContain('INFO\ttag=cli line=0');
    expect(out()).toContain('Emulator stopped.');
    // The custom secret is never printed.
    expect(out() + err()).not.toContain('s3cr3t-value');
  });

  it('refuses bad options with exit status 2 and a message naming the option', async () => {
    const cases: Array<[string[], string]> = [
      [['--port', 'abc'], '--port must be an integer'],
      [['--bogus'], "unknown option '--bogus'"],
      [['--credentials', 'missing.json'], '--credentials: cannot read'],
      [['--functions', 'no-such-dir'], 'is not a folder'],
    ];
    for (const [args, message] of cases) {
      const { io, err } = captureIO(dir);
      expect(await runEmulate(args, io, new AbortController().signal)).toBe(2);
      expect(err()).toContain(message);
    }
  });
});
