import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmulatorHandle, startEmulator } from '../../src/emulator/index.js';
import { encodeException } from '../../src/eventstream/encode-exception.js';
import { main } from '../../src/hosts/cli/main.js';
import { escapeControls } from '../../src/index.js';
import {
  eventStream,
  type StreamServer,
  startStreamServer,
  streamHeaders,
  TEST_CREDENTIALS,
} from '../support/stream-server.js';
import { captureIO, envFor } from './support/harness.js';

// Issue 18, defects 2 and 3. Redaction by value masked the function's own output (with the secret
// `test`, `"this is a test"` came back as `"this is a <redacted>"`, and a base64 chunk no longer
// decoded); and text from the function, the service and input files reached the terminal raw, so
// `ESC [2J` cleared the screen and a CR in the output preview turned `{"ok":false}` into `{"ok":true}`.

const HOSTILE = '\u001b[2J\u001b]0;owned\u0007';
/** Any C0 control but LF and TAB, DEL or C1 character: none may reach a human-readable line. */
const RAW_CONTROL = {
  asymmetricMatch: (text: string) =>
    [...text].some((c) => {
      const code = c.charCodeAt(0);
      return (code < 0x20 && code !== 0x0a && code !== 0x09) || (code >= 0x7f && code <= 0x9f);
    }),
};

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'hostile-functions');
let emulator: EmulatorHandle;
let server: StreamServer;
const work = mkdtempSync(join(tmpdir(), 'hostile-output-'));

beforeAll(async () => {
  emulator = await startEmulator({ functionsDir: FIXTURES });
  server = await startStreamServer();
});
afterAll(async () => {
  await emulator.close();
  await server.close();
});

/** The emulator's default credentials (`test`/`test`): the secret `test` is then a known secret. */
function emulatorEnv(): Record<string, string> {
  return envFor(emulator.url, { accessKeyId: 'test', secretAccessKey: 'test', sessionToken: '' });
}

function serverEnv(): Record<string, string> {
  const env = envFor(server.url, { ...TEST_CREDENTIALS, sessionToken: '' });
  delete env.AWS_SESSION_TOKEN;
  return env;
}

async function cli(args: string[], env: Record<string, string>, isTTY = false) {
  const { io, stdout, stderr } = captureIO(env, { isTTY, cwd: work });
  const status = await main(args, io);
  return { status, out: stdout.text(), err: stderr.text() };
}

describe('escapeControls', () => {
  it('makes C0, C1, DEL and CR visible, keeps tabs, and keeps newlines only when asked', () => {
    expect(escapeControls(`${HOSTILE}a\rb\u007fc\u009bd\ne`)).toBe(
      '\\u001b[2J\\u001b]0;owned\\u0007a\\rb\\u007fc\\u009bd\\ne',
    );
    expect(escapeControls('one\ntwo\r', { keepNewlines: true })).toBe('one\ntwo\\r');
    expect(escapeControls('plain text, ünïcode\tand a tab')).toBe('plain text, ünïcode\tand a tab');
  });
});

describe('the output is the function’s, exactly (defect 2)', () => {
  it('prints a payload that contains a known secret value unmasked', async () => {
    const payload = JSON.stringify({ output: '{"msg":"this is a test","word":"contest"}' });
    const { status, out } = await cli(
      ['run', '--function-name', 'writes', '--payload', payload],
      emulatorEnv(),
    );
    expect(status).toBe(0);
    expect(JSON.parse(out).payload).toEqual({ msg: 'this is a test', word: 'contest' });
  });

  it('keeps base64 chunk data that happens to contain the secret decodable', async () => {
    const payload = JSON.stringify({ outputBase64: 'testtest' });
    const { status, out } = await cli(
      [
        'run',
        '--function-name',
        'writes',
        '--payload',
        payload,
        '--output',
        'chunked',
        '--encoding',
        'base64',
      ],
      emulatorEnv(),
    );
    expect(status).toBe(0);
    const chunk = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; data?: string })
      .find((event) => event.type === 'chunk');
    expect(chunk?.data).toBe('testtest');
  });

  it('keeps a __proto__ key of the payload (defect 7)', async () => {
    const payload = JSON.stringify({ output: '{"__proto__":{"x":1},"b":2}' });
    const { out } = await cli(['run', '--function-name', 'writes', '--payload', payload], emulatorEnv());
    expect(out).toContain('"payload":{"__proto__":{"x":1},"b":2}');
  });

  it('says so when a Test request preview masks a known secret', async () => {
    const payload = JSON.stringify({ output: 'this is a test' });
    const { out } = await cli(
      ['test', '--function-name', 'writes', '--payload', payload, '--json'],
      emulatorEnv(),
    );
    const report = JSON.parse(out);
    expect(report.output.preview).toMatchObject({ text: 'this is a <redacted>', redacted: true });
    const text = await cli(['test', '--function-name', 'writes', '--payload', payload], emulatorEnv(), true);
    expect(text.out).toContain('known secret values in it are shown as <redacted>');
  });
});

describe('no control character reaches the terminal (defect 3)', () => {
  it('escapes a function error code and details on stderr; the JSON on stdout stays exact', async () => {
    const payload = JSON.stringify({ errorName: `Bad${HOSTILE}`, errorMessage: `details${HOSTILE}` });
    const { status, out, err } = await cli(
      ['run', '--function-name', 'writes', '--payload', payload],
      emulatorEnv(),
    );
    expect(status).toBe(1);
    expect(JSON.parse(out).functionError.errorCode).toBe(`Bad${HOSTILE}`);
    expect(err).not.toEqual(RAW_CONTROL);
    expect(err).toContain('Bad\\u001b[2J');
  });

  it('escapes the log tail, the output preview (a CR) and the function error in a rendered report', async () => {
    const payload = JSON.stringify({
      log: `log line ${HOSTILE}\rfake`,
      output: '{"ok":false}   \r{"ok":true}',
      errorName: `E${HOSTILE}`,
    });
    const { out } = await cli(
      ['test', '--function-name', 'writes', '--payload', payload, '--log-type', 'Tail'],
      emulatorEnv(),
      true,
    );
    expect(out).not.toEqual(RAW_CONTROL);
    expect(out).toContain('{"ok":false}   \\r{"ok":true}');
    expect(out).toContain('log line \\u001b[2J');
  });

  it('escapes service error types and messages', async () => {
    server.respond((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ __type: `Weird${HOSTILE}Exception`, message: `no ${HOSTILE}` }));
    });
    const { status, err } = await cli(['run', '--function-name', 'f'], serverEnv());
    expect(status).toBe(3);
    expect(err).toContain('Weird\\u001b[2J');
    expect(err).not.toEqual(RAW_CONTROL);
  });

  it('escapes in-stream exception types and messages, and InvokeComplete fields', async () => {
    server.respond((_req, res) => {
      res.writeHead(200, streamHeaders());
      res.end(Buffer.concat([eventStream(['a'], null), encodeException(`X${HOSTILE}`, `m${HOSTILE}`)]));
    });
    const thrown = await cli(['run', '--function-name', 'f', '--output', 'chunked'], serverEnv());
    expect(thrown.status).toBe(3);
    expect(thrown.err).toContain('X\\u001b[2J');
    expect(thrown.err).not.toEqual(RAW_CONTROL);
    server.respond((_req, res) => {
      res.writeHead(200, streamHeaders());
      res.end(eventStream(['a'], { ErrorCode: `C${HOSTILE}`, ErrorDetails: `D${HOSTILE}` }));
    });
    const complete = await cli(['test', '--function-name', 'f'], serverEnv(), true);
    expect(complete.out).toContain('C\\u001b[2J');
    expect(complete.out).not.toEqual(RAW_CONTROL);
  });

  it('escapes input-file keys in validation messages', async () => {
    const file = join(work, 'keys.json');
    writeFileSync(file, JSON.stringify({ path: { FunctionName: 'f' }, headers: { [`K${HOSTILE}`]: 'v' } }));
    const { status, out } = await cli(['validate', '--input', file], serverEnv());
    expect(status).toBe(2);
    expect(out).toContain('K\\u001b[2J');
    expect(out).not.toEqual(RAW_CONTROL);
    const run = await cli(['run', '--input', file], serverEnv());
    expect(run.err).not.toEqual(RAW_CONTROL);
  });
});
