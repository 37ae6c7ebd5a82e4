import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../src/emulator/index.js';
import { main } from '../../src/hosts/cli/main.js';
import { packagePath, type TestReport } from '../../src/index.js';
import { captureIO, countingServer, envFor, expectNoSecrets, FAKE } from './support/harness.js';

let emulator: Awaited<ReturnType<typeof startEmulator>>;
/** Everything any command printed, for the secrets check at the end. */
const printed: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    credentials: [{ accessKeyId: FAKE.accessKeyId, secretAccessKey: FAKE.secretAccessKey }],
  });
});
afterAll(async () => {
  await emulator.close();
});

async function cli(args: string[], options: { isTTY?: boolean; env?: Record<string, string> } = {}) {
  const { io, stdout, stderr } = captureIO(options.env ?? envFor(emulator.url), {
    isTTY: options.isTTY ?? false,
  });
  const status = await main(args, io);
  printed.push(stdout.text(), stderr.text());
  return { status, out: stdout.text(), err: stderr.text(), bytes: stdout.bytes() };
}

describe('lambda-stream run', () => {
  it('prints one aggregated JSON object and exits 0', async () => {
    const { status, out, err } = await cli(['run', '--function-name', 'echo', '--payload', '{"hi":[1,2]}']);
    expect(status).toBe(0);
    expect(err).toBe('');
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      statusCode: 200,
      payloadEncoding: 'json',
      payload: { hi: [1, 2] },
      chunks: 1,
    });
  });

  it('prints one NDJSON output event per line in chunked mode', async () => {
    const { status, out } = await cli([
      'run',
      '--function-name',
      'tokens',
      '--payload',
      '{"count":4,"delayMs":1}',
      '--output',
      'chunked',
    ]);
    expect(status).toBe(0);
    const events = out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; data?: string; seq?: number });
    expect(events.map((e) => e.type)).toEqual(['start', 'chunk', 'chunk', 'chunk', 'chunk', 'complete']);
    expect(events.filter((e) => e.type === 'chunk').map((e) => e.data)).toEqual([
      'The',
      ' quick',
      ' model',
      ' streams',
    ]);
  });

  it('writes the payload bytes themselves with --raw', async () => {
    const { status, bytes } = await cli([
      'run',
      '--function-name',
      'echo',
      '--payload',
      '{"raw":true}',
      '--raw',
    ]);
    expect(status).toBe(0);
    expect(bytes.toString('utf8')).toBe('{"raw":true}');
  });

  it('exits 1 on a function error, with the result on stdout and one line on stderr', async () => {
    const { status, out, err } = await cli([
      'run',
      '--function-name',
      'fails',
      '--payload',
      '{"message":"nope"}',
    ]);
    expect(status).toBe(1);
    expect(JSON.parse(out)).toMatchObject({
      functionError: { errorDetails: expect.stringContaining('nope') },
    });
    expect(err.trimEnd().split('\n')).toHaveLength(1);
    expect(err).toMatch(/^lambda-stream run: FUNCTION_ERROR: /);
  });

  it('exits 1 in chunked mode too, after the complete event', async () => {
    const { status, out } = await cli(['run', '--function-name', 'fails', '--output', 'chunked']);
    expect(status).toBe(1);
    expect(
      out
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as { type: string }).type)
        .at(-1),
    ).toBe('complete');
  });

  it('exits 2 on invalid input and sends nothing', async () => {
    const server = await countingServer();
    try {
      const { status, err } = await cli(['run', '--function-name', 'bad name!', '--log-type', 'Loud'], {
        env: envFor(server.url),
      });
      expect(status).toBe(2);
      expect(err.trimEnd().split('\n')).toHaveLength(1);
      expect(err).toContain('path.FunctionName');
      expect(err).toContain('X-Amz-Log-Type');
      const bad = await cli(['run', '--function-name', 'echo', '--payload', '{oops'], {
        env: envFor(server.url),
      });
      expect(bad.status).toBe(2);
      expect(bad.err).toContain('--payload must be JSON text or file://PATH');
      expect(server.count()).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('exits 3 on a service error, and reports it as JSON with --json', async () => {
    const { status, err } = await cli(['run', '--function-name', 'no-such-fn', '--json']);
    expect(status).toBe(3);
    const line = JSON.parse(err) as {
      error: { code: string; statusCode: number; awsErrorType: string };
      exitStatus: number;
    };
    expect(line).toMatchObject({
      exitStatus: 3,
      error: { statusCode: 404, awsErrorType: 'ResourceNotFoundException' },
    });
  });

  it('exits 3 when the endpoint refuses the connection', async () => {
    const server = await countingServer();
    const url = server.url;
    await server.close();
    const { status, err } = await cli(['run', '--function-name', 'echo', '--max-attempts', '1'], {
      env: envFor(url),
    });
    expect(status).toBe(3);
    expect(err).toMatch(/^lambda-stream run: CONNECTION_FAILED/);
  });
});

describe('lambda-stream test', () => {
  it('prints the report JSON when not on a terminal', async () => {
    const { status, out, err } = await cli([
      'test',
      '--function-name',
      'echo',
      '--payload',
      '{"a":1}',
      '--log-type',
      'Tail',
    ]);
    expect(err).toBe('');
    expect(status).toBe(0);
    const report = JSON.parse(out) as TestReport;
    expect(report.outcome).toBe('success');
    expect(report.response?.events.map((e) => e.eventType)).toEqual(['PayloadChunk', 'InvokeComplete']);
    expect(report.log?.text).toContain('START');
  });

  it('renders text with a timeline of chunk arrivals on a terminal', async () => {
    const { status, out } = await cli(
      ['test', '--function-name', 'tokens', '--payload', '{"count":3,"delayMs":1}'],
      { isTTY: true },
    );
    expect(status).toBe(0);
    expect(out).toMatch(/^Test request: success: 200/);
    expect(out).toContain('Timeline (ms since the request started)');
    expect(out.match(/PayloadChunk/g)).toHaveLength(3);
    expect(out).toContain('Equivalent curl command:');
  });

  it('uses the exit statuses: 1 function error, 2 invalid input, 3 failure', async () => {
    expect((await cli(['test', '--function-name', 'fails'])).status).toBe(1);
    const invalid = await cli(['test', '--function-name', 'bad name!']);
    expect(invalid.status).toBe(2);
    expect((JSON.parse(invalid.out) as TestReport).issues?.[0]?.path).toBe('path.FunctionName');
    expect((await cli(['test', '--function-name', 'missing-fn'])).status).toBe(3);
  });

  it('gives a curl command that works against the emulator with the credentials in the environment', async () => {
    const { out } = await cli([
      'test',
      '--function-name',
      'echo',
      '--payload',
      '{"via":"curl"}',
      '--log-type',
      'Tail',
    ]);
    const report = JSON.parse(out) as TestReport;
    expect(report.request?.curl.reliable).toBe(true);
    const command = report.request!.curl.command;
    expectNoSecrets(command);
    const result = await new Promise<{ code: number; stdout: Buffer }>((resolve) => {
      execFile(
        '/bin/sh',
        ['-c', command],
        { env: envFor(emulator.url), encoding: 'buffer' },
        (error, stdout) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout }),
      );
    });
    expect(result.code).toBe(0);
    const body = result.stdout.toString('latin1');
    expect(body).toContain('{"via":"curl"}');
    expect(body).toContain('InvokeComplete');
  });
});

describe('lambda-stream workflow and start', () => {
  it('runs a workflow file against the endpoint given on the command line', async () => {
    const file = packagePath('examples', 'quickstart.workflow.json');
    const env = envFor('http://127.0.0.1:1');
    const { status, out } = await cli(
      [
        'workflow',
        file,
        '--input',
        '{"prompt":"hi"}',
        '--endpoint-url',
        emulator.url,
        '--region',
        'us-east-1',
      ],
      { env },
    );
    expect(status).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('  token: '))).toHaveLength(12);
    const result = JSON.parse(lines.at(-1)!) as { order: string[]; output: { payload: { tokens: number } } };
    expect(result.order).toEqual(['StreamTokens', 'PrintTokens', 'Echo']);
    expect(result.output.payload.tokens).toBe(12);
  });

  it('exits 2 for a broken workflow file and 3 for a failed call', async () => {
    const dir = join(import.meta.dirname, '..', 'workflow', 'fixtures');
    const missing = await cli(['workflow', join(dir, 'no-such.json')]);
    expect(missing.status).toBe(2);
    const broken = await cli(['workflow', packagePath('package.json')]);
    expect(broken.status).toBe(2);
    expect(broken.err).toContain('WORKFLOW_INVALID');
    const file = packagePath('examples', 'quickstart.workflow.json');
    const failed = await cli([
      'workflow',
      file,
      '--input',
      '{"prompt":"x"}',
      '--endpoint-url',
      'http://127.0.0.1:1',
    ]);
    expect(failed.status).toBe(3);
    expect(failed.err).toMatch(/WORKFLOW_STEP_FAILED: Task 'StreamTokens' failed/);
  });

  it('start runs the quick start against its own emulator and exits 0', async () => {
    const { status, out } = await cli(['start'], { env: { HOME: '/nonexistent' } });
    expect(status).toBe(0);
    expect(out).toContain('▶ PrintTokens (script)');
    expect(out.match(/^ {2}token: /gm)).toHaveLength(12);
    expect(out).toMatch(/tasks: +StreamTokens → PrintTokens → Echo \(\d+ ms\)\n +streamed: 12 chunk\(s\)/);
  });
});

describe('lambda-stream (all commands)', () => {
  it('prints help for every command and exits 0', async () => {
    for (const command of ['run', 'test', 'workflow', 'start', 'validate', 'emulate']) {
      const { status, out } = await cli([command, '--help']);
      expect(`${command}: ${status}`).toBe(`${command}: 0`);
      expect(out).toMatch(/Usage: lambda-stream /);
    }
    const top = await cli(['--help']);
    expect(top.out).toContain('Commands:');
  });

  it('exits 2 for an unknown command or option', async () => {
    expect((await cli(['frobnicate'])).status).toBe(2);
    const unknown = await cli(['run', '--colour']);
    expect(unknown.status).toBe(2);
    expect(unknown.err).toContain("Unknown option '--colour'");
  });

  it('never printed a credential or a signature', () => {
    expect(printed.length).toBeGreaterThan(20);
    expectNoSecrets(printed.join('\n'));
  });
});
