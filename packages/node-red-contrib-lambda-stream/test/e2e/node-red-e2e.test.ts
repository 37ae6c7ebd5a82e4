import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmulatorHandle, startEmulator } from 'lambda-stream-task/emulator';
import { e2eFlow, KEY_ID, largeBytes, SECRET } from '../support/e2e-flow.js';
import { wantsNodeRed5 } from '../support/node-red-install.js';
import { deploy, type NodeRed, startNodeRed } from '../support/node-red-process.js';

// Packing, `npm install` and a Node-RED start on a loaded 2-core machine: minutes, not seconds.
const SETUP_MS = 15 * 60_000;
const TEST_MS = 5 * 60_000;

let lambda: EmulatorHandle;
let red: NodeRed;

beforeAll(async () => {
  lambda = await startEmulator({
    port: 0,
    host: '127.0.0.1',
    credentials: [{ accessKeyId: KEY_ID, secretAccessKey: SECRET }],
  });
  red = await startNodeRed();
  await deploy(red, e2eFlow(lambda.url));
}, SETUP_MS);

afterAll(async () => {
  await red?.stop();
  await lambda?.close();
}, TEST_MS);

describe(`a real Node-RED (${wantsNodeRed5() ? '5' : '4'}) with both packages installed from their tarballs`, () => {
  it('runs on the Node-RED this Node selects', () => {
    expect(red.version.split('.')[0]).toBe(wantsNodeRed5() ? '5' : '4');
  });

  it(
    'http in → lambda-stream (chunked) → join → http response answers with the exact streamed bytes',
    async () => {
      const res = await fetch(`${red.url}/stream`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ mib: 1, chunkKiB: 7 }),
      });
      const body = Buffer.from(await res.arrayBuffer());
      expect(res.status).toBe(200);
      expect(body.length).toBe(1024 * 1024);
      expect(body.equals(largeBytes(1024 * 1024))).toBe(true);
    },
    TEST_MS,
  );

  it(
    'keeps the keys in the credential store: not in the flow file, and the secret never reaches the editor',
    async () => {
      const flowFile = await readFile(join(red.userDir, 'flows.json'), 'utf8');
      expect(flowFile).toContain('"lambda-stream-aws"');
      expect(flowFile).not.toContain(SECRET);
      expect(flowFile).not.toContain(KEY_ID);
      const stored = await readFile(join(red.userDir, 'flows_cred.json'), 'utf8');
      expect(stored).not.toContain(SECRET);
      const editorView = await (await fetch(`${red.url}/credentials/lambda-stream-aws/awscfg`)).json();
      expect(editorView).toEqual({ accessKeyId: KEY_ID, has_secretAccessKey: true, has_sessionToken: false });
    },
    TEST_MS,
  );

  it(
    'serves the generated editor files and help for both node types',
    async () => {
      const html = await (await fetch(`${red.url}/nodes`, { headers: { Accept: 'text/html' } })).text();
      expect(html).toContain('data-template-name="lambda-stream"');
      expect(html).toContain('data-help-name="lambda-stream-aws"');
      expect(html).toContain('Function name');
    },
    TEST_MS,
  );

  it(
    'refuses a Test request from a foreign Origin before anything is signed',
    async () => {
      const res = await fetch(`${red.url}/lambda-stream/test`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: 'http://attacker.example' },
        body: JSON.stringify({ values: { functionName: 'tokens', aws: 'awscfg' } }),
      });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('foreign Origin');
    },
    TEST_MS,
  );
});
