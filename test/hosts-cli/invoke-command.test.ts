/**
 * `lambda-stream invoke` takes command lines written for `aws lambda invoke` (each test starts from
 * one, as a user would paste it) and answers as the AWS CLI v2 does: the payload in the outfile, the
 * response document on standard output, its return codes. Against the emulator.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmulatorHandle, startEmulator } from '../../src/emulator/index.js';
import { main } from '../../src/hosts/cli/main.js';
import { captureIO, envFor, expectNoSecrets, FAKE } from './support/harness.js';

let emulator: EmulatorHandle;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({
    credentials: [{ accessKeyId: FAKE.accessKeyId, secretAccessKey: FAKE.secretAccessKey }],
  });
  dir = await mkdtemp(join(tmpdir(), 'invoke-command-'));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

/** The words of a POSIX command line (single and double quotes, no expansions). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g))
    out.push(m[1] ?? m[2]?.replace(/\\(.)/g, '$1') ?? m[3]!);
  return out;
}

/** Run an `aws lambda invoke …` line as `lambda-stream invoke …`. */
async function awsInvoke(line: string, env: Record<string, string | undefined> = envFor(emulator.url)) {
  const argv = words(line);
  expect(argv.slice(0, 3)).toEqual(['aws', 'lambda', 'invoke']);
  const { io, stdout, stderr } = captureIO(env, { cwd: dir });
  const code = await main(['invoke', ...argv.slice(3)], io);
  return { code, stdout: stdout.text(), stdoutBytes: stdout.bytes(), stderr: stderr.text() };
}

describe('lambda-stream invoke: an aws lambda invoke command line, streamed', () => {
  it('writes the payload to the outfile and prints the response document (raw-in-base64-out)', async () => {
    const run = await awsInvoke(
      `aws lambda invoke --function-name echo --cli-binary-format raw-in-base64-out --payload '{"hello":"world"}' out.json`,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await readFile(join(dir, 'out.json'), 'utf8')).toBe('{"hello":"world"}');
    expect(run.stdout).toBe('{\n    "StatusCode": 200,\n    "ExecutedVersion": "$LATEST"\n}\n');
  });

  it('reads --payload as base64 by default, as AWS CLI v2 does', async () => {
    const base64 = Buffer.from('{"b":64}').toString('base64');
    const run = await awsInvoke(`aws lambda invoke --function-name echo --payload ${base64} b64.json`);
    expect(run.code).toBe(0);
    expect(await readFile(join(dir, 'b64.json'), 'utf8')).toBe('{"b":64}');
    const raw = await awsInvoke(`aws lambda invoke --function-name echo --payload '{"not":"base64"}' x.json`);
    expect(raw.code).toBe(252);
    expect(raw.stderr).toContain('Invalid base64: "{\\"not\\":\\"base64\\"}"');
    expect(raw.stderr).toContain('--cli-binary-format raw-in-base64-out');
  });

  it('sends a fileb:// file as its bytes and decodes a file:// file as base64 text', async () => {
    await writeFile(join(dir, 'event.json'), '{"from":"fileb"}');
    await writeFile(join(dir, 'event.b64'), `${Buffer.from('{"from":"file"}').toString('base64')}\n`);
    const fileb = await awsInvoke(
      'aws lambda invoke --function-name echo --payload fileb://event.json fb.out',
    );
    expect(fileb.code).toBe(0);
    expect(await readFile(join(dir, 'fb.out'), 'utf8')).toBe('{"from":"fileb"}');
    const file = await awsInvoke('aws lambda invoke --function-name echo --payload file://event.b64 f.out');
    expect(file.code).toBe(0);
    expect(await readFile(join(dir, 'f.out'), 'utf8')).toBe('{"from":"file"}');
    const missing = await awsInvoke(
      'aws lambda invoke --function-name echo --payload fileb://nope.json n.out',
    );
    expect(missing.code).toBe(252);
    expect(missing.stderr).toContain("Error parsing parameter '--payload': Unable to load paramfile");
  });

  it('a function error exits 0 and shows in FunctionError, with the tail log in base64 (outfile -)', async () => {
    const run = await awsInvoke(
      `aws lambda invoke --function-name fails --log-type Tail --cli-binary-format raw-in-base64-out --payload '{"message":"kaput"}' -`,
    );
    expect(run.code).toBe(0);
    const [payload, doc] = [
      run.stdout.slice(0, run.stdout.indexOf('{')),
      run.stdout.slice(run.stdout.indexOf('{')),
    ];
    expect(payload).toBe('partial output before the failure\n');
    const parsed = JSON.parse(doc) as Record<string, string | number>;
    expect(parsed).toMatchObject({ StatusCode: 200, FunctionError: 'Error', ExecutedVersion: '$LATEST' });
    expect(Buffer.from(String(parsed.LogResult), 'base64').toString('utf8')).toContain('failing now');
    expectNoSecrets(run.stdout + run.stderr);
  });

  it('takes --qualifier, --invocation-type DryRun, --output text, --debug and --no-cli-pager', async () => {
    const live = await awsInvoke(
      `aws lambda invoke --function-name echo --qualifier live --payload e30= --output text --no-cli-pager q.out`,
    );
    expect(live.code).toBe(0);
    expect(live.stdout).toBe('2\t200\n');
    const dry = await awsInvoke(
      'aws lambda invoke --function-name echo --invocation-type DryRun --debug dry.out',
    );
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.stdout)).toEqual({ StatusCode: 204 });
    expect(await readFile(join(dir, 'dry.out'), 'utf8')).toBe('');
    expect(dry.stderr).toContain('"request":{"method":"POST"');
    expectNoSecrets(dry.stderr);
  });

  it('refuses what it cannot honour, naming the option (252)', async () => {
    const query = await awsInvoke('aws lambda invoke --function-name echo --query StatusCode out.json');
    expect(query.code).toBe(252);
    expect(query.stderr).toContain('--query is not supported');
    const noOutfile = await awsInvoke('aws lambda invoke --function-name echo');
    expect(noOutfile.code).toBe(252);
    expect(noOutfile.stderr).toContain('the following arguments are required: outfile');
    const unknown = await awsInvoke('aws lambda invoke --function-name echo --no-such-option 1 out.json');
    expect(unknown.code).toBe(252);
    expect(unknown.stderr).toContain('--no-such-option');
    const table = await awsInvoke('aws lambda invoke --function-name echo --output table out.json');
    expect(table.code).toBe(252);
    expect(table.stderr).toContain('--output table is not supported');
  });

  it('returns 253 for configuration, 254 for a service error, 255 for a connection failure', async () => {
    const env = envFor(emulator.url);
    const noRegion = await awsInvoke('aws lambda invoke --function-name echo out.json', {
      ...env,
      AWS_REGION: undefined,
    });
    expect(noRegion.code).toBe(253);
    expect(noRegion.stderr).toContain('MISSING_REGION');
    const notFound = await awsInvoke('aws lambda invoke --function-name nope out.json');
    expect(notFound.code).toBe(254);
    expect(notFound.stderr).toMatch(
      /An error occurred \(ResourceNotFoundException\) when calling the \w+ operation: /,
    );
    const closed = await awsInvoke(
      'aws lambda invoke --function-name echo --endpoint-url http://127.0.0.1:1 --cli-connect-timeout 2 out.json',
    );
    expect(closed.code).toBe(255);
    expect(closed.stderr).toContain('CONNECTION_FAILED');
  });

  it('returns 130 when interrupted mid-stream, keeping what arrived', async () => {
    const controller = new AbortController();
    const { io, stderr } = captureIO(envFor(emulator.url), { cwd: dir });
    let first = '';
    io.stdout = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        first ||= chunk.toString('utf8');
        controller.abort(new Error('Ctrl-C'));
        callback();
      },
    });
    io.signal = controller.signal;
    const argv = words(
      `aws lambda invoke --function-name tokens --cli-binary-format raw-in-base64-out --payload '{"count":50,"delayMs":50}' -`,
    );
    const code = await main(['invoke', ...argv.slice(3)], io);
    expect(code).toBe(130);
    expect(first).toBe('The');
    expect(stderr.text()).toBe('\n');
  });
});
