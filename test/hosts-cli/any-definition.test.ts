/**
 * Every command that makes a call runs the definition it is given with --manifest: the packaged one,
 * the plain Invoke fixture (a `payload` response: a plain body, the function error and the log in
 * headers) against a local server that answers as Invoke does, and a renamed one.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../src/emulator/index.js';
import { encodeMessage } from '../../src/eventstream/index.js';
import { main } from '../../src/hosts/cli/main.js';
import { packagePath, type TestReport } from '../../src/index.js';
import {
  eventStream,
  type Responder,
  type StreamServer,
  startStreamServer,
  streamResponse,
  TEST_CREDENTIALS,
} from '../support/stream-server.js';
import { captureIO, envFor, expectNoSecrets, FAKE } from './support/harness.js';

const INVOKE = packagePath('definitions', 'invoke.manifest.json');
const RENAMED = packagePath('test', 'fixtures', 'cli-renamed', 'manifest.json');
/** The core's renamed copy of the streaming definition: its own path, events, headers, settings, signing name. */
const ACME = packagePath('test', 'fixtures', 'renamed', 'manifest.json');
const SIGNER = { ...TEST_CREDENTIALS, sessionToken: '' };

let dir: string;
let emulator: Awaited<ReturnType<typeof startEmulator>>;
let invokeServer: StreamServer;
let acmeServer: StreamServer;
const printed: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'any-definition-'));
  emulator = await startEmulator({
    credentials: [{ accessKeyId: FAKE.accessKeyId, secretAccessKey: FAKE.secretAccessKey }],
  });
  invokeServer = await startStreamServer();
  acmeServer = await startStreamServer({ service: 'acme', errorTypeHeader: 'x-acme-error' });
  await writeFile(
    join(dir, 'echo.json'),
    JSON.stringify({ path: { FunctionName: 'echo' }, body: { Payload: { n: 1 } } }),
  );
  await writeFile(
    join(dir, 'invoke.json'),
    JSON.stringify({
      path: { FunctionName: 'my-fn' },
      headers: { 'X-Amz-Log-Type': 'Tail' },
      body: { Payload: { q: 2 } },
    }),
  );
});
afterAll(async () => {
  await Promise.all([
    emulator.close(),
    invokeServer.close(),
    acmeServer.close(),
    rm(dir, { recursive: true, force: true }),
  ]);
});

async function cli(args: string[], env: Record<string, string>) {
  const { io, stdout, stderr } = captureIO(env, { cwd: dir });
  const status = await main(args, io);
  printed.push(stdout.text(), stderr.text());
  return { status, out: stdout.text(), err: stderr.text() };
}

/** An answer as Invoke gives it: the function's bytes as the body, its error and log in headers. */
function invokeAnswer(body: string, headers: Record<string, string> = {}): Responder {
  return (_request, res) => {
    res.writeHead(200, {
      'content-type': 'application/json',
      'x-amz-executed-version': '$LATEST',
      'x-amzn-requestid': 'invoke-request-1',
      ...headers,
    });
    res.end(body);
  };
}

describe('run --manifest FILE --input FILE', () => {
  it('runs the packaged definition given by path', async () => {
    const manifest = packagePath('manifest.json');
    const { status, out } = await cli(
      ['run', '--manifest', manifest, '--input', 'echo.json'],
      envFor(emulator.url),
    );
    expect(status).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ statusCode: 200, payloadEncoding: 'json', payload: { n: 1 } });
  });

  it('runs the renamed definition: the input it is given is checked against that definition', async () => {
    // A task input of the packaged definition is not one of the renamed definition: exit 2, nothing sent.
    const { status, err } = await cli(
      ['run', '--manifest', RENAMED, '--input', 'echo.json'],
      envFor(emulator.url),
    );
    expect(status).toBe(2);
    expect(err).toContain('JobId');
  });
});

describe('the plain Invoke definition (payload response)', () => {
  it('aggregated: the body is the payload, sent to the Invoke path, signed', async () => {
    invokeServer.respond(invokeAnswer('{"ok":true}'));
    const before = invokeServer.requests.length;
    const { status, out, err } = await cli(
      ['run', '--manifest', INVOKE, '--input', 'invoke.json'],
      envFor(invokeServer.url, SIGNER),
    );
    expect(err).toBe('');
    expect(status).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      statusCode: 200,
      executedVersion: '$LATEST',
      payloadEncoding: 'json',
      payload: { ok: true },
    });
    const request = invokeServer.requests[before];
    expect(request).toMatchObject({
      method: 'POST',
      url: '/2015-03-31/functions/my-fn/invocations',
      signatureOk: true,
    });
    expect(request?.headers['x-amz-log-type']).toBe('Tail');
    expect(request?.body.toString()).toBe('{"q":2}');
  });

  it('a function error (in X-Amz-Function-Error) exits 1 and the log (X-Amz-Log-Result) is decoded', async () => {
    const log = Buffer.from('START RequestId: 1\nboom\nEND\n').toString('base64');
    invokeServer.respond(
      invokeAnswer('{"errorMessage":"boom","errorType":"Error"}', {
        'x-amz-function-error': 'Unhandled',
        'x-amz-log-result': log,
      }),
    );
    const { status, out, err } = await cli(
      ['run', '--manifest', INVOKE, '--function-name', 'my-fn', '--log-type', 'Tail'],
      envFor(invokeServer.url, SIGNER),
    );
    expect(status).toBe(1);
    const result = JSON.parse(out) as { functionError?: { errorCode: string }; logResult?: string };
    expect(result.functionError?.errorCode).toBe('Unhandled');
    expect(result.logResult).toContain('START RequestId: 1');
    expect(err).toContain('Unhandled');
  });

  it('chunked: start, the body as chunk events, complete', async () => {
    invokeServer.respond(invokeAnswer('{"text":"plain body"}'));
    const { status, out } = await cli(
      ['run', '--manifest', INVOKE, '--input', 'invoke.json', '--output', 'chunked'],
      envFor(invokeServer.url, SIGNER),
    );
    expect(status).toBe(0);
    const events = out
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; data?: string });
    expect(events[0]?.type).toBe('start');
    expect(events.at(-1)?.type).toBe('complete');
    const chunks = events.filter((e) => e.type === 'chunk');
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.map((e) => e.data).join('')).toBe('{"text":"plain body"}');
  });

  it('test --manifest reports the call of that definition', async () => {
    invokeServer.respond(invokeAnswer('{"tested":true}'));
    const { status, out } = await cli(
      ['test', '--manifest', INVOKE, '--input', 'invoke.json'],
      envFor(invokeServer.url, SIGNER),
    );
    expect(status).toBe(0);
    const report = JSON.parse(out) as TestReport;
    expect(report.outcome).toBe('success');
    expect(report.request?.url).toContain('/2015-03-31/functions/my-fn/invocations');
    expect(report.output?.preview.text).toBe('{"tested":true}');
  });

  it('workflow --manifest runs every task of the workflow with that definition', async () => {
    invokeServer.respond(invokeAnswer('{"from":"invoke"}'));
    const workflow = {
      startTask: 'Call',
      tasks: {
        Call: { type: 'lambda-stream', inputParameters: { path: { FunctionName: 'my-fn' } }, end: true },
      },
    };
    await writeFile(join(dir, 'invoke.workflow.json'), JSON.stringify(workflow));
    const { status, out } = await cli(
      ['workflow', 'invoke.workflow.json', '--manifest', INVOKE, '--endpoint-url', invokeServer.url],
      envFor('http://127.0.0.1:1', SIGNER),
    );
    expect(status).toBe(0);
    expect(JSON.parse(out.trimEnd().split('\n').at(-1) ?? '')).toMatchObject({
      output: { payload: { from: 'invoke' } },
    });
    expect(invokeServer.requests.at(-1)?.url).toBe('/2015-03-31/functions/my-fn/invocations');
  });
});

describe('the renamed definition (its own parameter and setting names)', () => {
  it('run sends what the renamed flags say, to the endpoint and region of its renamed settings', async () => {
    invokeServer.respond(streamResponse(eventStream(['hello ', 'jobs'])));
    const before = invokeServer.requests.length;
    const { status, out, err } = await cli(
      [
        'run',
        '--manifest',
        RENAMED,
        '--job-identifier',
        'job-7',
        '--revision',
        '3',
        '--trace-mode',
        'full',
        '--document',
        '{"a":1}',
        '--endpoint-url',
        invokeServer.url,
        '--region',
        'us-east-1',
      ],
      { HOME: dir, AWS_ACCESS_KEY_ID: SIGNER.accessKeyId, AWS_SECRET_ACCESS_KEY: SIGNER.secretAccessKey },
    );
    expect(err).toBe('');
    expect(status).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ statusCode: 200, payload: 'hello jobs', chunks: 2 });
    expect(invokeServer.requests[before]).toMatchObject({
      url: '/v1/jobs/job-7/results?rev=3',
      signatureOk: true,
    });
    expect(invokeServer.requests[before]?.headers['x-trace-mode']).toBe('full');
  });
});

/** One event of the renamed protocol (`Data` chunks, a `Done` completion with its own field names). */
function acmeEvent(eventType: string, body: string): Uint8Array {
  const header = (value: string) => ({ type: 'string' as const, value });
  return encodeMessage({
    headers: { ':message-type': header('event'), ':event-type': header(eventType) },
    body: Buffer.from(body),
  });
}

describe("the core's renamed streaming definition", () => {
  it('run --manifest FILE --input FILE streams its events in its own names', async () => {
    acmeServer.respond((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-acme-version': '3' });
      res.end(
        Buffer.concat([acmeEvent('Data', 'acme '), acmeEvent('Data', 'streams'), acmeEvent('Done', '{}')]),
      );
    });
    const input = {
      path: { TaskName: 'nightly' },
      headers: { 'X-Acme-Log': 'Tail' },
      settings: { zone: 'us-east-1', baseUrl: acmeServer.url, delivery: 'chunked' },
    };
    await writeFile(join(dir, 'acme.json'), JSON.stringify(input));
    const { status, out, err } = await cli(['run', '--manifest', ACME, '--input', 'acme.json'], {
      HOME: dir,
      AWS_ACCESS_KEY_ID: SIGNER.accessKeyId,
      AWS_SECRET_ACCESS_KEY: SIGNER.secretAccessKey,
    });
    expect(err).toBe('');
    expect(status).toBe(0);
    const events = out
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; data?: string; executedVersion?: string });
    expect(events.map((e) => e.type)).toEqual(['start', 'chunk', 'chunk', 'complete']);
    expect(events[0]?.executedVersion).toBe('3');
    expect(events.map((e) => e.data ?? '').join('')).toBe('acme streams');
    const sent = acmeServer.requests.at(-1);
    expect(sent).toMatchObject({ method: 'POST', url: '/v9/tasks/nightly/stream', signatureOk: true });
    expect(sent?.headers['x-acme-log']).toBe('Tail');
    expect(sent?.headers.authorization).toMatch(/\/us-east-1\/acme\/aws4_request/);

    // Its titles match the packaged ones, so the same flags fill its own wire names and settings.
    const flags = await cli(
      [
        'run',
        '--manifest',
        ACME,
        '--task-name',
        'nightly',
        '--log-type',
        'Tail',
        '--region',
        'us-east-1',
        '--endpoint-url',
        acmeServer.url,
        '--output',
        'chunked',
      ],
      { HOME: dir, AWS_ACCESS_KEY_ID: SIGNER.accessKeyId, AWS_SECRET_ACCESS_KEY: SIGNER.secretAccessKey },
    );
    expect(flags.status).toBe(0);
    const timeless = (text: string) => text.replace(/"\w+Ms":[\d.]+/g, '');
    expect(timeless(flags.out)).toBe(timeless(out));
    expect(acmeServer.requests.at(-1)?.headers['x-acme-log']).toBe('Tail');
  });
});

describe('a workflow with the renamed definition', () => {
  it('streams a task whose renamed output-mode setting says chunked (the runner asks the definition)', async () => {
    invokeServer.respond(streamResponse(eventStream(['hello ', 'jobs'])));
    const workflow = {
      startTask: 'Stream',
      tasks: {
        Stream: {
          type: 'lambda-stream',
          inputParameters: { path: { JobId: 'job-8' }, settings: { shape: 'chunked', zone: 'us-east-1' } },
          end: true,
        },
      },
    };
    await writeFile(join(dir, 'renamed.workflow.json'), JSON.stringify(workflow));
    const { status, out, err } = await cli(
      ['workflow', 'renamed.workflow.json', '--manifest', RENAMED, '--endpoint-url', invokeServer.url],
      { HOME: dir, AWS_ACCESS_KEY_ID: SIGNER.accessKeyId, AWS_SECRET_ACCESS_KEY: SIGNER.secretAccessKey },
    );
    expect(err).toBe('');
    expect(status).toBe(0);
    // A chunked step's output is its complete summary plus the text that streamed through.
    expect(JSON.parse(out.trimEnd().split('\n').at(-1) ?? '')).toMatchObject({
      output: { text: 'hello jobs', chunks: 2 },
    });
    expect(invokeServer.requests.at(-1)?.url).toBe('/v1/jobs/job-8/results');
  });
});

describe('--manifest on the other commands', () => {
  it('workflow --manifest checks each task against that definition', async () => {
    const workflow = {
      startTask: 'Call',
      tasks: {
        Call: { type: 'lambda-stream', inputParameters: { path: { FunctionName: 'echo' } }, end: true },
      },
    };
    await writeFile(join(dir, 'packaged.workflow.json'), JSON.stringify(workflow));
    const renamed = await cli(
      ['workflow', 'packaged.workflow.json', '--manifest', RENAMED],
      envFor(emulator.url),
    );
    expect(renamed.status).toBe(2);
    expect(renamed.err).toContain('JobId');
    const packaged = await cli(['workflow', 'packaged.workflow.json'], envFor(emulator.url));
    expect(packaged.status).toBe(0);
  });

  it('test --manifest checks the input against that definition before sending anything', async () => {
    const { status, out } = await cli(
      ['test', '--manifest', RENAMED, '--input', 'echo.json'],
      envFor(emulator.url),
    );
    expect(status).toBe(2);
    const report = JSON.parse(out) as TestReport;
    expect(report.outcome).toBe('invalid-input');
    expect(JSON.stringify(report.issues)).toContain('JobId');
  });

  it('emulate and start refuse it, saying why and what to run instead', async () => {
    for (const command of ['emulate', 'start']) {
      const { status, err } = await cli([command, '--manifest', INVOKE], envFor(emulator.url));
      expect(status).toBe(2);
      expect(err).toContain(`--manifest is not an option of ${command}`);
      expect(err).toContain('--manifest FILE --endpoint-url URL');
    }
  });

  it('never printed a credential or a signature', () => {
    expectNoSecrets(printed.join('\n'), [TEST_CREDENTIALS.secretAccessKey]);
  });
});
