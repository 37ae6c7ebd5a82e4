import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { main } from '../../src/hosts/cli/main.js';
import { captureIO, countingServer, envFor } from './support/harness.js';

// Issue 18, defects 1, 10 and 11 from the command line: `--input /dev/zero` read 546 MB and died with
// "Invalid string length", a named pipe hung; an input 100,000 levels deep exited 3 and `test --json`
// printed no JSON; `--endpoint-url http://user:secretpass@127.0.0.1:99999` echoed the password while
// `validate` called the same input valid.
const work = mkdtempSync(join(tmpdir(), 'hostile-input-'));
const fifo = join(work, 'pipe');
let server: Awaited<ReturnType<typeof countingServer>>;

beforeAll(async () => {
  execFileSync('mkfifo', [fifo]);
  server = await countingServer();
});
afterAll(() => server.close());

async function cli(args: string[]) {
  const { io, stdout, stderr } = captureIO(envFor(server.url), { cwd: work });
  const status = await main(args, io);
  return { status, out: stdout.text(), err: stderr.text() };
}

describe('files named on the command line', () => {
  it.each([
    ['/dev/zero', 'a character device'],
    [fifo, 'a named pipe'],
    [work, 'a directory'],
  ])('refuses --input %s at once (it is %s)', async (file, what) => {
    for (const command of ['run', 'test', 'validate']) {
      const { status, out, err } = await cli([command, '--input', file]);
      expect(status).toBe(2);
      expect(`${out}${err}`).toContain(`${what}, not a regular file`);
    }
    expect(server.count()).toBe(0);
  });
});

describe('deeply nested input', () => {
  const file = join(work, 'deep.json');
  beforeAll(() => {
    const levels = 100_000;
    writeFileSync(
      file,
      `{"path":{"FunctionName":"f"},"settings":{"limits":${'['.repeat(levels)}${']'.repeat(levels)}}}`,
    );
  });

  it('is invalid input (exit 2) for run and validate, and test --json still prints its report', async () => {
    const run = await cli(['run', '--input', file]);
    expect(run.status).toBe(2);
    expect(run.err).toContain('nests deeper than');
    expect((await cli(['validate', '--input', file])).status).toBe(2);
    const test = await cli(['test', '--input', file, '--json']);
    expect(test.status).toBe(2);
    expect(JSON.parse(test.out)).toMatchObject({ outcome: 'invalid-input' });
    expect(server.count()).toBe(0);
  });
});

describe('endpoint userinfo', () => {
  it('is never echoed, and validate agrees with the call', async () => {
    const url = 'http://alice:secretpass@127.0.0.1:99999';
    for (const command of ['run', 'test']) {
      const { status, out, err } = await cli([command, '--function-name', 'f', '--endpoint-url', url]);
      expect(status).toBe(2);
      expect(`${out}${err}`).not.toContain('secretpass');
      expect(`${out}${err}`).not.toContain('alice');
    }
    const file = join(work, 'endpoint.json');
    writeFileSync(
      file,
      JSON.stringify({ path: { FunctionName: 'f' }, settings: { endpoint: 'http://127.0.0.1:99999' } }),
    );
    expect((await cli(['validate', '--input', file])).status).toBe(2);
  });
});
