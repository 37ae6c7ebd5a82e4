/**
 * End to end in a real n8n 2.41.1 (Node ≥ 24 only: this file is registered on the Node 24 lane by
 * jest.config.mjs, since n8n 2.x does not run on Node 20). The packed node package is loaded as a
 * community node from N8N_CUSTOM_EXTENSIONS; the shipped workflows and a credential are imported
 * with n8n's CLI, and each run goes against the task's emulator:
 * - `n8n execute` of the Manual Trigger workflow, whose printed run data is parsed (the exit status
 *   is not trusted: n8n 2.x may crash on exit after a successful run);
 * - `n8n start`, then the webhook → Lambda Stream (chunked) → Respond to Webhook workflow over HTTP,
 *   and the webhook in streaming mode, which receives the chunks through the node's sendChunk;
 * - the editor in Chromium: "Execute step" in the node's panel, and a screenshot of it.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EmulatorHandle } from 'lambda-stream-task/emulator';
import { startEmulator } from 'lambda-stream-task/emulator';
import {
  freePort,
  type N8nEnvironment,
  n8nBinary,
  n8nEnvironment,
  runN8nCommand,
  startN8n,
  stopN8n,
  waitForWebhook,
} from './support/n8n-instance.js';
import { packNodePackage } from './support/pack-node-package.js';
import { executeStepInEditor, setUpOwner } from './support/run-in-editor.js';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const repoRoot = join(packageRoot, '..', '..');

/** functions/tokens.ts writes WORDS[(prompt.length + i) % 12], one chunk per write. */
const WORDS = [
  'The',
  ' quick',
  ' model',
  ' streams',
  ' tokens',
  ' as',
  ' soon',
  ' as',
  ' they',
  ' are',
  ' ready',
  '.',
];
const tokens = (prompt: string, count: number): string[] =>
  Array.from({ length: count }, (_, i) => WORDS[(prompt.length + i) % WORDS.length] ?? '');

/** POSTs JSON to a webhook of the running n8n; an answer other than 200 fails with n8n's log. */
async function postToWebhook(path: string, body: unknown): Promise<Response> {
  const response = await fetch(`${n8n?.url}/webhook/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) {
    throw new Error(
      `${path} answered ${response.status}: ${await response.text()}\n--- n8n log ---\n${n8n?.log()}`,
    );
  }
  return response;
}

/** The shipped workflow, with the node type n8n gives custom-extension nodes (`CUSTOM.`) instead of the package's. */
function workflowFile(name: string): Record<string, unknown> {
  const text = readFileSync(join(packageRoot, 'workflows', name), 'utf8');
  return JSON.parse(
    text.replaceAll('"n8n-nodes-lambda-stream.lambdaStream"', '"CUSTOM.lambdaStream"'),
  ) as Record<string, unknown>;
}

let tmp: string;
let emulator: EmulatorHandle;
let binary: string;
let env: N8nEnvironment;
let n8n: Awaited<ReturnType<typeof startN8n>> | undefined;
let cliRun: Awaited<ReturnType<typeof runN8nCommand>>;

beforeAll(async () => {
  binary = n8nBinary(repoRoot);
  tmp = mkdtempSync(join(tmpdir(), 'n8n-e2e-'));
  const extensions = await packNodePackage(packageRoot, tmp);
  emulator = await startEmulator();
  env = n8nEnvironment({
    home: join(tmp, 'home'),
    extensions,
    port: await freePort(),
    brokerPort: await freePort(),
  });

  const imports = join(tmp, 'import');
  mkdirSync(join(imports, 'workflows'), { recursive: true });
  const credential = {
    id: 'lambdaStreamAws',
    name: 'AWS (Lambda Stream)',
    type: 'lambdaStreamAwsApi',
    data: {
      authentication: 'accessKey',
      accessKeyId: 'test',
      secretAccessKey: 'test',
      region: 'us-east-1',
      endpoint: emulator.url,
    },
  };
  writeFileSync(join(imports, 'credentials.json'), JSON.stringify([credential]));
  for (const name of ['webhook-chunked.json', 'webhook-streaming.json', 'manual-chunked.json']) {
    writeFileSync(join(imports, 'workflows', name), JSON.stringify(workflowFile(name)));
  }
  for (const args of [
    ['import:credentials', `--input=${join(imports, 'credentials.json')}`],
    ['import:workflow', '--separate', `--input=${join(imports, 'workflows')}`],
    ['publish:workflow', '--id=lambdaStreamChunked'],
    ['publish:workflow', '--id=lambdaStreamStreamed'],
  ]) {
    const result = await runN8nCommand(binary, env, args);
    if (result.exitCode !== 0)
      throw new Error(
        `n8n ${args[0]} failed (${result.exitCode ?? result.signal}):\n${result.stdout}${result.stderr}`,
      );
  }
  cliRun = await runN8nCommand(binary, env, ['execute', '--id=lambdaStreamManual', '--rawOutput']);
  n8n = await startN8n(binary, env);
  for (const path of ['lambda-stream-chunked', 'lambda-stream-streaming'])
    await waitForWebhook(n8n.url, path, n8n.log);
  await setUpOwner(n8n.url);
}, 600_000);

afterAll(async () => {
  if (n8n !== undefined) await stopN8n(n8n.process);
  await emulator?.close();
  if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true });
}, 60_000);

describe('n8n 2.41.1 with the packed node package', () => {
  it('runs the Manual Trigger workflow with `n8n execute`: every chunk in the printed run data', () => {
    // `--rawOutput` prints log lines, then the run data as indented JSON from a line holding "{".
    const start = cliRun.stdout.search(/^\{$/m);
    expect(start).toBeGreaterThanOrEqual(0);
    const run = JSON.parse(cliRun.stdout.slice(start)) as {
      data: {
        resultData: {
          runData: Record<string, Array<{ data: { main: Array<Array<{ json: Record<string, unknown> }>> } }>>;
        };
      };
    };
    const items =
      run.data.resultData.runData['Lambda Stream']?.[0]?.data.main[0]?.map((item) => item.json) ?? [];
    expect(items.map((item) => item.data ?? item.type)).toEqual([...tokens('n8n', 6), 'complete']);
    expect(items.map((item) => item.seq ?? 'end')).toEqual([0, 1, 2, 3, 4, 5, 'end']);
  });

  it('answers the webhook with one item per chunk, in order, then the completion item', async () => {
    const response = await postToWebhook('lambda-stream-chunked', {
      functionName: 'tokens',
      event: { prompt: 'abc', count: 8, delayMs: 5 },
    });
    const items = (await response.json()) as Array<Record<string, unknown>>;
    const expected = tokens('abc', 8);
    expect(items.slice(0, -1)).toEqual(
      expected.map((data, seq) => expect.objectContaining({ type: 'chunk', seq, data, encoding: 'utf8' })),
    );
    expect(items.at(-1)).toMatchObject({
      type: 'complete',
      statusCode: 200,
      chunks: 8,
      bytes: expected.join('').length,
    });
  });

  it("streams the chunks into the webhook's response as they arrive (sendChunk)", async () => {
    const response = await postToWebhook('lambda-stream-streaming', {
      functionName: 'tokens',
      event: { prompt: 'streaming', count: 5, delayMs: 20 },
    });
    const lines = (await response.text())
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { type: string; content?: string; metadata: { nodeName: string } });
    expect(lines.map((line) => [line.type, line.content])).toEqual([
      ['begin', undefined],
      ...tokens('streaming', 5).map((word) => ['item', word]),
      ['end', undefined],
    ]);
    for (const line of lines) expect(line.metadata.nodeName).toBe('Lambda Stream');
  });

  it('runs "Execute step" in the node panel of the editor and shows every chunk', async () => {
    const screenshot = process.env.N8N_SCREENSHOT_PATH ?? join(tmp, 'panel.png');
    const run = await executeStepInEditor(n8n?.url ?? '', 'lambdaStreamManual', 'Lambda Stream', screenshot);
    expect(run.itemCount).toBe('7 items');
    for (const word of tokens('n8n', 6)) expect(run.outputText).toContain(word.trim());
    expect(readFileSync(screenshot).subarray(1, 4).toString()).toBe('PNG');
  }, 120_000);
});
