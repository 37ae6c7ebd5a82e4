// Part 5 of issue 6: everything the product can print or return — CLI stdout and stderr of every
// command (text, --json, errors), the logger at every level, the emulator's log, Test request reports
// (JSON and rendered), thrown errors (message, stack, JSON, util.inspect, causes), chunked events —
// scanned for the distinctive fake credentials and for signatures (any 64-hex `Signature=` value and
// every signature the executor actually computed). The faults and bad-input parts run the same scan
// over what they captured; `npm run reliability` adds the figures up.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmulatorHandle, type FaultSpec, startEmulator } from '../../src/emulator/index.js';
import type { CliIO } from '../../src/hosts/cli/io.js';
import { main } from '../../src/hosts/cli/main.js';
import { createExecutor, type OutputEvent, type TaskInput, testRequest } from '../../src/index.js';
import { renderReport } from '../../src/report/render-report.js';
import {
  CREDENTIALS,
  capturingLogger,
  EMULATOR_CREDENTIALS,
  isolatedEnv,
  RELIABILITY_FUNCTIONS,
  SecretScan,
  writeFigures,
} from './helpers.js';

type Credentials = (typeof CREDENTIALS)[keyof typeof CREDENTIALS];

/** The scenarios: a fault (or none) on the generator, and what the call is. */
const SCENARIOS: Array<{ name: string; fault?: FaultSpec; fn?: string; payload?: unknown; secret?: string }> =
  [
    { name: 'success', payload: { seed: 7, chunks: 3, size: 40 } },
    { name: 'throttled', fault: { throttle: 100, retryAfterSeconds: 0 } },
    { name: 'server error', fault: { serverError: 100 } },
    { name: 'dropped mid-stream', fault: { dropAfterChunks: 2 } },
    { name: 'corrupt checksum', fault: { corruptChunk: 2 } },
    { name: 'no InvokeComplete', fault: { omitComplete: true } },
    { name: 'clock skew', fault: { clockSkewMs: 25 * 60 * 1000 } },
    { name: 'unknown function', fn: 'no-such-function' },
    { name: 'wrong secret', secret: 'not-the-secret-the-emulator-knows' },
  ];

class Capture extends Writable {
  private readonly parts: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.parts.push(Buffer.from(chunk));
    callback();
  }
  text(): string {
    return Buffer.concat(this.parts).toString('utf8');
  }
}

const scan = new SecretScan();
const byCategory: Record<string, number> = {};
const emulators: EmulatorHandle[] = [];
const work = mkdtempSync(join(tmpdir(), 'reliability-secrets-'));

function add(category: string, source: string, text: string): void {
  byCategory[category] = (byCategory[category] ?? 0) + text.split('\n').length;
  scan.add(source, text);
}

function addValue(category: string, source: string, value: unknown): void {
  const before = scan.totals().lines;
  scan.addValue(source, value);
  byCategory[category] = (byCategory[category] ?? 0) + scan.totals().lines - before;
}

async function emulatorFor(scenario: (typeof SCENARIOS)[number]): Promise<EmulatorHandle> {
  const emulator = await startEmulator({
    functionsDir: RELIABILITY_FUNCTIONS,
    credentials:
      scenario.secret === undefined
        ? EMULATOR_CREDENTIALS
        : EMULATOR_CREDENTIALS.map((c) => ({ ...c, secretAccessKey: scenario.secret! })),
    ...(scenario.fault === undefined ? {} : { faults: { gen: scenario.fault } }),
    onLog: (line) => add('emulator log', `emulator.${scenario.name}`, line),
  });
  emulators.push(emulator);
  return emulator;
}

function input(scenario: (typeof SCENARIOS)[number], url: string, mode: 'aggregated' | 'chunked'): TaskInput {
  return {
    path: { FunctionName: scenario.fn ?? 'gen' },
    headers: { 'X-Amz-Log-Type': 'Tail' },
    body: { Payload: scenario.payload ?? { seed: 3, chunks: 4, size: 30 } },
    settings: {
      endpoint: url,
      region: 'us-east-1',
      outputMode: mode,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    },
  };
}

async function cli(argv: string[], env: Record<string, string>, source: string): Promise<number> {
  const stdout = new Capture();
  const stderr = new Capture();
  const io: CliIO = { stdout, stderr, stdin: process.stdin, env, cwd: work, isTTY: false };
  const status = await main(argv, io);
  add('cli stdout', `${source}.stdout`, stdout.text());
  add('cli stderr', `${source}.stderr`, stderr.text());
  return status;
}

function cliEnv(credentials: Credentials): Record<string, string> {
  return isolatedEnv({
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    HTTP_PROXY: tapUrl,
  });
}

const statuses: Record<string, number> = {};
let tap: Server;
let tapUrl = '';
let tapped = 0;

/**
 * A forward HTTP proxy that records each request's signature on its way to the emulator, so the
 * scan also knows the signatures the CLI and Test request computed (they have no observer of ours).
 */
async function startSignatureTap(): Promise<void> {
  tap = createServer((req, res) => {
    tapped += 1;
    scan.recordAuthorization(req.headers.authorization);
    const target = new URL(req.url ?? '/');
    const out = request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        // A cut upstream must cut the client too, or the client waits for an end that never comes.
        answer.on('close', () => {
          if (!answer.complete) res.destroy();
        });
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    res.on('close', () => out.destroy());
    req.pipe(out);
  });
  await new Promise<void>((resolve) => tap.listen(0, '127.0.0.1', resolve));
  tapUrl = `http://127.0.0.1:${(tap.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  await startSignatureTap();
  for (const scenario of SCENARIOS) {
    const emulator = await emulatorFor(scenario);
    for (const [name, credentials] of Object.entries(CREDENTIALS)) {
      const tag = `${scenario.name}/${name}`;
      const { logger } = capturingLogger(scan, tag);
      const executor = createExecutor();
      const context = {
        credentials,
        env: isolatedEnv({ HTTP_PROXY: tapUrl }),
        logger,
        observer: scan.observer(),
      };
      // The API, both modes: results, events and thrown errors as a host would print them.
      try {
        addValue(
          'api results',
          `${tag}.invoke`,
          await executor.invoke(input(scenario, emulator.url, 'aggregated'), context),
        );
      } catch (error: unknown) {
        addValue('thrown errors', `${tag}.invoke.error`, error);
      }
      const events: OutputEvent[] = [];
      for await (const event of executor.invokeStream(input(scenario, emulator.url, 'chunked'), context))
        events.push(event);
      addValue('chunked events', `${tag}.events`, events);
      // Test request: the report object and its rendering.
      const report = await testRequest(input(scenario, emulator.url, 'aggregated'), context);
      addValue('test request reports', `${tag}.report`, report);
      add('test request reports', `${tag}.report.text`, renderReport(report));
      // The CLI, every command that calls, in every output form.
      const env = cliEnv(credentials);
      const fn = scenario.fn ?? 'gen';
      const payload = JSON.stringify(scenario.payload ?? { seed: 5, chunks: 3, size: 20 });
      const common = [
        '--function-name',
        fn,
        '--payload',
        payload,
        '--endpoint-url',
        emulator.url,
        '--max-attempts',
        '2',
      ];
      for (const argv of [
        ['run', ...common],
        ['run', ...common, '--json'],
        ['run', ...common, '--output', 'chunked'],
        ['run', ...common, '--raw'],
        ['run', ...common, '--log-type', 'Tail', '--json'],
        ['test', ...common],
        ['test', ...common, '--json'],
        ['test', ...common, '--log-type', 'Tail'],
      ]) {
        statuses[`${tag} ${argv[0]} ${argv.slice(-1)[0]}`] = await cli(
          argv,
          env,
          `${tag}.cli.${argv.join(' ')}`,
        );
      }
    }
  }
  // Commands that do not call: validate (valid, invalid with the secrets in the input), help, bad usage.
  const env = cliEnv(CREDENTIALS.shaped);
  const inputFile = join(work, 'input.json');
  writeFileSync(
    inputFile,
    JSON.stringify({
      path: { FunctionName: 'bad name!' },
      settings: {
        credentials: {
          ...CREDENTIALS.shaped,
          sessionToken: `${CREDENTIALS.shaped.sessionToken} with a space`,
        },
      },
    }),
  );
  const goodFile = join(work, 'good.json');
  writeFileSync(
    goodFile,
    JSON.stringify({ path: { FunctionName: 'gen' }, settings: { credentials: CREDENTIALS.unshaped } }),
  );
  const workflowFile = join(work, 'flow.workflow.json');
  writeFileSync(
    workflowFile,
    JSON.stringify({
      startTask: 'Gen',
      tasks: {
        Gen: {
          type: 'lambda-stream',
          inputParameters: {
            path: { FunctionName: 'gen' },
            body: { Payload: { seed: 9, chunks: 2, size: 16 } },
            settings: { outputMode: 'chunked' },
          },
          end: true,
        },
      },
    }),
  );
  const ok = emulators[0]!;
  const dropped = emulators[3]!;
  for (const argv of [
    ['validate', '--input', inputFile],
    ['validate', '--input', inputFile, '--json'],
    ['validate', '--input', goodFile, '--json'],
    ['run', '--input', inputFile, '--endpoint-url', ok.url],
    ['test', '--input', inputFile, '--endpoint-url', ok.url, '--json'],
    ['run', '--input', goodFile, '--endpoint-url', ok.url, '--json'],
    ['workflow', workflowFile, '--endpoint-url', ok.url],
    ['workflow', workflowFile, '--endpoint-url', dropped.url],
    ['run', '--help'],
    ['test', '--help'],
    ['emulate', '--help'],
    ['run', '--no-such-flag'],
    ['--help'],
  ]) {
    statuses[argv.join(' ')] = await cli(argv, env, `cli.${argv.join(' ')}`);
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()));
  tap.closeAllConnections();
  await new Promise<void>((resolve) => tap.close(() => resolve()));
  writeFigures('secrets', {
    ...scan.totals(),
    signatures: scan.signatureCount,
    requestsTapped: tapped,
    leaks: scan.leaks().length,
    linesByCategory: byCategory,
  });
});

describe('secrets never leave the process', () => {
  it('the scan can fail: a planted secret, key id, token and signature are all found', () => {
    const probe = new SecretScan();
    probe.add('planted', `key ${CREDENTIALS.unshaped.accessKeyId}`);
    probe.add('planted', `secret ${CREDENTIALS.shaped.secretAccessKey}`);
    probe.add('planted', `token ${CREDENTIALS.unshaped.sessionToken}`);
    probe.add('planted', `Signature=${'ab'.repeat(32)}`);
    expect(probe.leaks().map((l) => l.kind)).toEqual(
      expect.arrayContaining([
        'unshaped access key id (5+ chars)',
        'shaped secret key',
        'unshaped session token',
        'Signature= value',
      ]),
    );
  });

  it('the runs really happened: calls were signed, and CLI commands succeeded and failed', () => {
    // Identical requests signed in the same second share a signature, so distinct ones are fewer than calls.
    expect(tapped).toBeGreaterThan(200);
    expect(scan.signatureCount).toBeGreaterThan(40);
    expect(Object.values(statuses)).toEqual(expect.arrayContaining([0, 2, 3]));
    for (const category of [
      'cli stdout',
      'cli stderr',
      'emulator log',
      'test request reports',
      'thrown errors',
      'chunked events',
      'api results',
    ]) {
      expect(byCategory[category] ?? 0).toBeGreaterThan(0);
    }
  });

  it('finds no access key beyond 4 characters, no secret key, no session token and no signature anywhere', () => {
    expect(scan.leaks()).toEqual([]);
  });
});
