/**
 * `outputEncoding: 'bytes'` gives Uint8Array data, which JSON.stringify turns into `{"0":…}`: the
 * CLI's JSON outputs (`run`, `test`, `workflow`) refuse it with INVALID_INPUT, naming the setting,
 * before anything is sent. `run --raw` writes bytes itself and still takes any encoding.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../src/emulator/index.js';
import { main } from '../../src/hosts/cli/main.js';
import { captureIO, countingServer, envFor, FAKE } from './support/harness.js';

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let server: Awaited<ReturnType<typeof countingServer>>;
const dir = mkdtempSync(join(tmpdir(), 'lambda-stream-bytes-'));

beforeAll(async () => {
  emulator = await startEmulator({
    credentials: [{ accessKeyId: FAKE.accessKeyId, secretAccessKey: FAKE.secretAccessKey }],
  });
  server = await countingServer();
});
afterAll(async () => {
  await Promise.all([emulator.close(), server.close()]);
});

async function cli(args: string[], url: string) {
  const { io, stdout, stderr } = captureIO(envFor(url), { isTTY: false });
  const status = await main(args, io);
  return { status, out: stdout.text(), err: stderr.text(), bytes: stdout.bytes() };
}

const RULE =
  /INVALID_INPUT: settings\.outputEncoding: 'bytes' gives Uint8Array data, which .* cannot carry \(its output is JSON\); use utf8 or base64/;

function workflowFile(name: string, secondEncoding: string): string {
  const task = (encoding: string, next?: string) => ({
    type: 'lambda-stream',
    inputParameters: {
      path: { FunctionName: 'echo' },
      body: { Payload: { n: 1 } },
      settings: { outputEncoding: encoding },
    },
    ...(next === undefined ? { end: true } : { nextTask: next }),
  });
  const file = join(dir, name);
  writeFileSync(
    file,
    JSON.stringify({ startTask: 'A', tasks: { A: task('utf8', 'B'), B: task(secondEncoding) } }),
  );
  return file;
}

describe('the CLI refuses outputEncoding bytes for its JSON outputs', () => {
  it('run --encoding bytes (aggregated or chunked) and a bytes --input file: exit 2, nothing sent', async () => {
    const input = join(dir, 'input.json');
    writeFileSync(
      input,
      JSON.stringify({ path: { FunctionName: 'echo' }, settings: { outputEncoding: 'bytes' } }),
    );
    const runs = [
      ['run', '--function-name', 'echo', '--encoding', 'bytes'],
      ['run', '--function-name', 'echo', '--encoding', 'bytes', '--output', 'chunked'],
      ['run', '--input', input],
    ];
    for (const args of runs) {
      const { status, out, err } = await cli(args, server.url);
      expect(status).toBe(2);
      expect(out).toBe('');
      expect(err).toMatch(RULE);
      expect(err).toContain('lambda-stream run cannot carry');
    }
    const json = await cli(['run', '--function-name', 'echo', '--encoding', 'bytes', '--json'], server.url);
    expect(JSON.parse(json.err)).toMatchObject({
      error: { code: 'INVALID_INPUT', issues: [{ path: 'settings.outputEncoding', keyword: 'jsonOutput' }] },
      exitStatus: 2,
    });
    expect(server.count()).toBe(0);
  });

  it('test --encoding bytes: exit 2, nothing sent', async () => {
    const { status, err } = await cli(['test', '--function-name', 'echo', '--encoding', 'bytes'], server.url);
    expect(status).toBe(2);
    expect(err).toMatch(RULE);
    expect(server.count()).toBe(0);
  });

  it('run --raw still writes the payload bytes whatever --encoding says', async () => {
    const args = [
      'run',
      '--function-name',
      'echo',
      '--payload',
      '"\\u00e9t\\u00e9"',
      '--raw',
      '--encoding',
      'bytes',
    ];
    const { status, bytes } = await cli(args, emulator.url);
    expect(status).toBe(0);
    expect(bytes.toString('utf8')).toBe('"été"');
  });

  it('workflow: a task that says bytes is refused before any task runs', async () => {
    const { status, err } = await cli(['workflow', workflowFile('literal.json', 'bytes')], server.url);
    expect(status).toBe(2);
    expect(err).toMatch(RULE);
    expect(err).toContain("task 'B' of lambda-stream workflow");
    expect(server.count()).toBe(0);
  });

  it('workflow: a placeholder that resolves to bytes is refused before that call is made', async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the workflow's own placeholder syntax
    const file = workflowFile('placeholder.json', '${$.workflow.input.encoding}');
    const refused = await cli(['workflow', file, '--input', '{"encoding":"bytes"}'], emulator.url);
    expect(refused.status).toBe(2);
    expect(refused.err).toMatch(
      /WORKFLOW_STEP_FAILED: Task 'B' failed: INVALID_INPUT: settings\.outputEncoding/,
    );
    const ran = await cli(['workflow', file, '--input', '{"encoding":"base64"}'], emulator.url);
    expect(ran.status).toBe(0);
    expect(JSON.parse(ran.out.trimEnd().split('\n').at(-1)!)).toMatchObject({
      order: ['A', 'B'],
      output: { payload: Buffer.from('{"n":1}').toString('base64'), payloadEncoding: 'base64' },
    });
  });
});
