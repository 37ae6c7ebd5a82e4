import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmulatorHandle, startEmulator } from 'lambda-stream-task/emulator';
import { EMULATOR_KEYS, joinNode, taskFlow } from './support/flows.js';
import { ALL_NODES, collect, helper, startServer, stopServer } from './support/node-red-harness.js';

type Msg = Record<string, unknown> & {
  error?: { code?: string; message?: string };
  lambda?: Record<string, unknown> & { error?: Record<string, unknown> };
};

// `forever` writes a chunk every 20 ms until the client goes away, then leaves a marker file: the
// proof, on the function's side, that closing the flow closed the request.
const FOREVER = `export const handler = awslambda.streamifyResponse(async (event, stream) => {
  const { writeFileSync } = await import('node:fs');
  stream.on('close', () => writeFileSync(event.marker, 'closed'));
  for (let i = 0; !stream.destroyed && i < 100000; i += 1) {
    stream.write('tick ');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
});
`;

let lambda: EmulatorHandle;
let functionsDir: string;

beforeAll(async () => {
  functionsDir = await mkdtemp(join(tmpdir(), 'nr-lambda-fn-'));
  await writeFile(join(functionsDir, 'forever.mjs'), FOREVER);
  await writeFile(
    join(functionsDir, 'fails.mjs'),
    await readFile(
      join(
        dirname(fileURLToPath(import.meta.resolve('lambda-stream-task/package.json'))),
        'functions',
        'fails.mjs',
      ),
      'utf8',
    ),
  );
  lambda = await startEmulator({ port: 0, host: '127.0.0.1', functionsDir });
  await startServer();
});
afterAll(async () => {
  await stopServer();
  await lambda.close();
  await rm(functionsDir, { recursive: true, force: true });
});
afterEach(() => helper.unload());

const caught = () => helper.getNode('caught');
const firstCaught = () => collect(caught(), (m) => m.length === 1).done as Promise<Msg[]>;

describe('lambda-stream node, failures reach a catch node with their code', () => {
  it('a function error keeps the partial output on msg.payload (aggregated)', async () => {
    await helper.load(
      ALL_NODES,
      taskFlow(lambda.url, { functionName: 'fails', logType: 'Tail' }),
      EMULATOR_KEYS,
    );
    const errors = firstCaught();
    helper.getNode('ls').receive({ payload: { message: 'kaput' } });
    const [msg] = await errors;
    expect(msg?.error?.code).toBe('FUNCTION_ERROR');
    expect(msg?.error?.message).toContain('kaput');
    expect(msg?.payload).toBe('partial output before the failure\n');
    expect(msg?.lambda?.functionError).toMatchObject({ errorCode: 'Error', errorDetails: 'kaput' });
    expect(msg?.lambda?.logResult).toContain('about to fail');
  });

  it('a function error in chunked mode ends the sequence, so a join gives the partial output', async () => {
    const extra = [joinNode('j1', [['joined']]), { id: 'joined', type: 'helper' }];
    await helper.load(
      ALL_NODES,
      taskFlow(lambda.url, { functionName: 'fails', outputMode: 'chunked' }, extra, [['j1'], ['done']]),
      EMULATOR_KEYS,
    );
    const joined = collect(helper.getNode('joined'), (m) => m.length === 1).done as Promise<Msg[]>;
    const errors = firstCaught();
    helper.getNode('ls').receive({ payload: {} });
    const [[out], [msg]] = await Promise.all([joined, errors]);
    expect(out?.payload).toBe('partial output before the failure\n');
    expect(msg?.error?.code).toBe('FUNCTION_ERROR');
  });

  it('a bad function name is refused before anything is sent, with the validation message', async () => {
    await helper.load(ALL_NODES, taskFlow(lambda.url, { functionName: 'not a name!' }), EMULATOR_KEYS);
    const errors = firstCaught();
    helper.getNode('ls').receive({ payload: {} });
    const [msg] = await errors;
    expect(msg?.error?.code).toBe('INVALID_INPUT');
    expect(msg?.error?.message).toContain('path.FunctionName must be a function name');
    expect(msg?.lambda?.error).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('a service error (unknown function) carries the status and the AWS error type', async () => {
    await helper.load(
      ALL_NODES,
      taskFlow(lambda.url, { functionName: 'nosuch', outputMode: 'chunked' }),
      EMULATOR_KEYS,
    );
    const errors = firstCaught();
    helper.getNode('ls').receive({ payload: {} });
    const [msg] = await errors;
    expect(msg?.error?.code).toBe('SERVICE_ERROR');
    expect(msg?.lambda?.error).toMatchObject({ statusCode: 404, awsErrorType: 'ResourceNotFoundException' });
  });
});

describe('lambda-stream-aws config node, credentials from the store', () => {
  it('signs with the keys of the credential store, and a wrong secret never shows in the error', async () => {
    const secret = 'wrong-secret-value-1234';
    await helper.load(ALL_NODES, taskFlow(lambda.url, { functionName: 'fails' }), {
      aws: { accessKeyId: 'test', secretAccessKey: secret },
    });
    expect(helper.getNode('aws').credentials).toEqual({ accessKeyId: 'test', secretAccessKey: secret });
    const errors = firstCaught();
    helper.getNode('ls').receive({ payload: {} });
    const [msg] = await errors;
    expect(msg?.lambda?.error).toMatchObject({ statusCode: 403, awsErrorType: 'InvalidSignatureException' });
    expect(JSON.stringify(msg)).not.toContain(secret);
  });

  it('keys chosen but missing: CREDENTIALS_UNAVAILABLE, naming the config node', async () => {
    await helper.load(
      ALL_NODES,
      taskFlow(lambda.url, { functionName: 'fails' }, [], undefined, { credentialSource: 'keys' }),
      {
        aws: { accessKeyId: 'test' },
      },
    );
    const errors = firstCaught();
    helper.getNode('ls').receive({ payload: {} });
    const [msg] = await errors;
    expect(msg?.error?.code).toBe('CREDENTIALS_UNAVAILABLE');
    expect(msg?.error?.message).toContain('"emulator"');
  });
});

describe('lambda-stream node, closing the flow', () => {
  it('aborts the call in flight: the function sees its response stream closed', async () => {
    const marker = join(functionsDir, `closed-${process.pid}`);
    await helper.load(
      ALL_NODES,
      taskFlow(lambda.url, { functionName: 'forever', outputMode: 'chunked' }),
      EMULATOR_KEYS,
    );
    const firstChunks = collect(helper.getNode('out'), (m) => m.length >= 2, caught()).done;
    helper.getNode('ls').receive({ payload: { marker } });
    await firstChunks;
    await helper.unload();
    // Bounded wait for the function's side to notice (the close travels over the socket).
    for (let i = 0; i < 600 && !(await exists(marker)); i += 1) await new Promise((r) => setTimeout(r, 50));
    expect(await readFile(marker, 'utf8')).toBe('closed');
  });
});

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
