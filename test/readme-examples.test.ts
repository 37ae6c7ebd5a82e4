/**
 * The README's examples run as written (issue 11, defect 10: its AWS CLI example named a command the
 * AWS CLI does not have). Every block marked `<!-- readme-example: KIND -->` is run against the
 * emulator: `sh` blocks line by line (`export` lines set the environment, `lambda-stream` commands run,
 * each must exit 0), `invoke` blocks also compare each command's output with the `# ` lines after it,
 * and `js` blocks run in Node with the environment the README's `export` lines give.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmulatorHandle, startEmulator } from '../src/emulator/index.js';
import { main } from '../src/hosts/cli/main.js';
import { packagePath } from '../src/index.js';
import { captureIO } from './hosts-cli/support/harness.js';

let emulator: EmulatorHandle;
let dir: string;
let home: string;

beforeAll(async () => {
  emulator = await startEmulator(); // the key `test` with the secret `test`, as the README says
  dir = await mkdtemp(join(tmpdir(), 'readme-examples-'));
  home = await mkdtemp(join(tmpdir(), 'readme-home-'));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

interface Example {
  kind: string;
  line: number;
  code: string;
}

let readme = '';

function examples(): Example[] {
  const text = readme;
  const out: Example[] = [];
  for (const m of text.matchAll(/<!-- readme-example: (\w+) -->\n```\w*\n([\s\S]*?)```/g)) {
    out.push({ kind: m[1]!, line: text.slice(0, m.index).split('\n').length, code: m[2]! });
  }
  return out;
}

/** The words of a POSIX command line (single and double quotes, no expansions). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g))
    out.push(m[1] ?? m[2]?.replace(/\\(.)/g, '$1') ?? m[3]!);
  return out;
}

/** The block's lines with continuations joined and trailing comments dropped (not inside quotes). */
function commands(code: string): Array<{ command: string; expected: string[] }> {
  const out: Array<{ command: string; expected: string[] }> = [];
  for (const raw of code.replace(/\\\n\s*/g, ' ').split('\n')) {
    if (raw.startsWith('# ') || raw === '#') out.at(-1)?.expected.push(raw.slice(2));
    else if (raw.trim() !== '') out.push({ command: raw.replace(/\s+# [^'"]*$/, '').trim(), expected: [] });
  }
  return out;
}

function environment(): Record<string, string | undefined> {
  return {
    HOME: home,
    PATH: process.env.PATH,
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
  };
}

async function runBlock(example: Example): Promise<void> {
  const env = environment();
  for (const { command, expected } of commands(example.code)) {
    const argv = words(command);
    if (argv[0] === 'export') {
      for (const pair of argv.slice(1)) {
        const [name, value] = pair.split('=') as [string, string];
        env[name] = value;
      }
      continue;
    }
    // The README's endpoint is the emulator's port in its text; here, the emulator this test started.
    env.AWS_ENDPOINT_URL_LAMBDA = emulator.url;
    const start = argv[0] === 'npx' ? 1 : 0;
    expect(argv[start]).toBe('lambda-stream');
    const { io, stdout, stderr } = captureIO(env, { cwd: dir });
    const code = await main(argv.slice(start + 1), io);
    expect({ command, code, stderr: stderr.text() }).toEqual({ command, code: 0, stderr: '' });
    if (expected.length === 0) continue;
    const lines = stdout.text().trimEnd().split('\n');
    expect(lines).toHaveLength(expected.length);
    expected.forEach((want, i) => {
      const got = lines[i]!;
      if (want.includes('…')) expect(got.startsWith(want.slice(0, want.indexOf('…')))).toBe(true);
      else expect(got).toBe(want);
    });
  }
}

function runNode(
  code: string,
  env: Record<string, string | undefined>,
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      // The SDK warns on Node 20 that its support ends: a warning, not the example's output.
      ['--no-warnings', '--input-type=module', '-e', code],
      { cwd: packagePath(), env },
      (error, stdout, stderr) => {
        resolve({ status: error ? 1 : 0, stdout, stderr });
      },
    );
  });
}

describe('README examples', () => {
  beforeAll(async () => {
    readme = await readFile(packagePath('README.md'), 'utf8');
  });

  it('has the examples this test runs, and no AWS CLI command the AWS CLI lacks', () => {
    const kinds = examples().map((e) => e.kind);
    expect(kinds.filter((k) => k === 'sh').length).toBeGreaterThanOrEqual(2);
    expect(kinds).toContain('invoke');
    expect(kinds).toContain('js');
    expect(readme).not.toMatch(/^aws lambda invoke-with-response-stream/m);
  });

  it('runs every sh and invoke example', async () => {
    for (const example of examples().filter((e) => e.kind === 'sh' || e.kind === 'invoke'))
      await runBlock(example);
    expect(await readFile(join(dir, 'out.txt'), 'utf8')).toBe('The quick model streams tokens');
    expect(await readFile(join(dir, 'out.json'), 'utf8')).toBe('{"hi":1}');
  });

  it('runs the AWS SDK for JavaScript example', async () => {
    for (const example of examples().filter((e) => e.kind === 'js')) {
      const run = await runNode(example.code, { ...environment(), AWS_ENDPOINT_URL_LAMBDA: emulator.url });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toBe('The quick model streams tokens');
    }
  });
});
