import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { CliIO } from '../../src/hosts/cli/io.js';
import { main } from '../../src/hosts/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'validate-command-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return name;
}

async function cli(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const err: string[] = [];
  stdout.on('data', (d: Buffer) => out.push(d.toString()));
  stderr.on('data', (d: Buffer) => err.push(d.toString()));
  const io: CliIO = { stdout, stderr, stdin: Readable.from([stdin]), env: {}, cwd: dir, isTTY: false };
  const code = await main(['validate', ...args], io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

const valid = { path: { FunctionName: 'my-function' }, headers: { 'X-Amz-Log-Type': 'Tail' } };
const invalid = {
  path: { FunctionName: 'f'.repeat(65) },
  headers: { 'X-Amz-Log-Type': 'tail', 'X-Amz-Date': '20250101T000000Z' },
};

describe('lambda-stream validate', () => {
  it('exits 0 and says so for a valid input', async () => {
    const result = await cli(['--input', file('valid.json', valid)]);
    expect(result).toEqual({ code: 0, stdout: 'valid.json: valid\n', stderr: '' });
  });

  it('exits 2 and prints every issue, one per line, for an invalid input', async () => {
    const result = await cli(['--input', file('invalid.json', invalid)]);
    expect(result.code).toBe(2);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines).toContain('headers.X-Amz-Log-Type must be one of Tail, None');
    expect(lines).toContain(
      'headers.X-Amz-Date is computed by the SigV4 signer and must not be set in the input',
    );
    expect(lines.some((l) => l.startsWith('path.FunctionName must be at most 64 characters'))).toBe(true);
  });

  it('prints { valid, issues } with --json', async () => {
    const bad = await cli(['--input', file('invalid2.json', invalid), '--json']);
    expect(bad.code).toBe(2);
    const parsed = JSON.parse(bad.stdout) as { valid: boolean; issues: { path: string; keyword: string }[] };
    expect(parsed.valid).toBe(false);
    expect(parsed.issues.map((i) => `${i.path}:${i.keyword}`).sort()).toEqual([
      'headers.X-Amz-Date:computed',
      'headers.X-Amz-Log-Type:enum',
      'path.FunctionName:plainNameMaxLength',
    ]);
    const good = await cli(['--input', file('valid2.json', valid), '--json']);
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toEqual({ valid: true, issues: [] });
  });

  it('reads standard input for --input -', async () => {
    expect((await cli(['--input', '-'], JSON.stringify(valid))).code).toBe(0);
    expect((await cli(['--input', '-'], JSON.stringify(invalid))).code).toBe(2);
  });

  it('exits 2 for a file that is missing or not JSON', async () => {
    const missing = await cli(['--input', 'absent.json']);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain('cannot read the input absent.json');
    const broken = await cli(['--input', file('broken.json', '{ "path": ')]);
    expect(broken.code).toBe(2);
    expect(broken.stdout).toContain('is not valid JSON');
  });

  it('exits 2 with usage when --input is missing or an option is unknown', async () => {
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--input FILE is required');
    const unknown = await cli(['--input', 'x.json', '--bogus']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Usage: lambda-stream validate');
  });

  it('prints help with --help and exits 0', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: lambda-stream validate --input FILE');
    expect(result.stdout).toContain('Exit status: 0 valid, 2 invalid');
  });

  it('validates against another definition with --manifest', async () => {
    const input = file('event.json', {
      path: { FunctionName: 'f' },
      headers: { 'X-Amz-Invocation-Type': 'Event' },
    });
    expect((await cli(['--input', input])).code).toBe(2);
    const fixture = join(import.meta.dirname, '..', '..', 'definitions', 'invoke.manifest.json');
    expect((await cli(['--input', input, '--manifest', fixture])).code).toBe(0);
  });

  it('exits 3 when the definition itself is broken', async () => {
    const result = await cli([
      '--input',
      file('valid3.json', valid),
      '--manifest',
      file('bad-manifest.json', '{}'),
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('DEFINITION_INVALID');
  });
});
