// End to end through the built binary (`npm test` builds dist/ first), as a user or a pipe runs it.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../src/emulator/index.js';
import { packagePath } from '../../src/index.js';
import { envFor, expectNoSecrets, FAKE } from './support/harness.js';

let emulator: Awaited<ReturnType<typeof startEmulator>>;

beforeAll(async () => {
  emulator = await startEmulator({
    credentials: [{ accessKeyId: FAKE.accessKeyId, secretAccessKey: FAKE.secretAccessKey }],
  });
});
afterAll(async () => {
  await emulator.close();
});

function spawnAndWait(command: string, args: string[], env: Record<string, string>) {
  return new Promise<{ status: number | null; out: string; err: string }>((resolve, reject) => {
    const child = spawn(command, args, { cwd: packagePath(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (status) =>
      resolve({ status, out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8') }),
    );
  });
}

const bin = packagePath('dist', 'hosts', 'cli', 'bin.js');

describe('lambda-stream (built binary)', () => {
  it('run --output chunked prints NDJSON to a pipe and exits 0', async () => {
    const { status, out, err } = await spawnAndWait(
      process.execPath,
      [
        bin,
        'run',
        '--function-name',
        'tokens',
        '--payload',
        '{"count":3,"delayMs":1}',
        '--output',
        'chunked',
      ],
      envFor(emulator.url),
    );
    expect(err).toBe('');
    expect(status).toBe(0);
    const types = out
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types).toEqual(['start', 'chunk', 'chunk', 'chunk', 'complete']);
    expectNoSecrets(out + err);
  });

  it('exits 2 with one line on stderr for invalid input, 1 for a function error', async () => {
    const invalid = await spawnAndWait(
      process.execPath,
      [bin, 'run', '--function-name', 'bad name!'],
      envFor(emulator.url),
    );
    expect(invalid.status).toBe(2);
    expect(invalid.err.trimEnd().split('\n')).toHaveLength(1);
    const failed = await spawnAndWait(
      process.execPath,
      [bin, 'test', '--function-name', 'fails'],
      envFor(emulator.url),
    );
    expect(failed.status).toBe(1);
    expect(JSON.parse(failed.out)).toMatchObject({ outcome: 'function-error' });
    expectNoSecrets(invalid.out + invalid.err + failed.out + failed.err);
  });

  it('npm start runs the quick start with no AWS account and exits 0', async () => {
    // No AWS_* variables and an empty HOME: the quick start must need none of them.
    const env = { PATH: process.env.PATH ?? '', HOME: envFor('').HOME ?? '' };
    const { status, out } = await spawnAndWait('npm', ['start', '--silent'], env);
    expect(status).toBe(0);
    expect(out).toContain('Emulator listening on http://127.0.0.1:');
    expect(out.match(/^ {2}token: /gm)).toHaveLength(12);
    expect(out).toMatch(
      /echo: +200 \{"collected":"The quick model streams tokens as soon as they are ready\."/,
    );
  });
});
