import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isTaskError, type TaskError } from '../../src/errors.js';
import { invoke, invokeStream } from '../../src/execute.js';
import {
  eventStream,
  type StreamServer,
  startStreamServer,
  streamResponse,
} from '../support/stream-server.js';
import { collect, inputFor, quietContext } from './helpers.js';

// Regressions found by the reliability suite: each of these inputs used to end in a raw TypeError
// (from node:http or JSON.stringify) instead of a typed error, or slipped past validation.
let server: StreamServer;
let dir: string;
beforeAll(async () => {
  server = await startStreamServer();
  server.respond(streamResponse(eventStream(['ok'])));
  dir = await mkdtemp(join(tmpdir(), 'hardening-'));
  await mkdir(join(dir, 'root'));
  await writeFile(join(dir, 'root', 'inside.json'), '{"inside":true}');
  await writeFile(join(dir, 'outside.json'), '{"outside":true}');
  await symlink(join(dir, 'outside.json'), join(dir, 'root', 'link.json'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

async function rejected(promise: Promise<unknown>): Promise<TaskError> {
  try {
    await promise;
  } catch (error) {
    if (isTaskError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('input hardening', () => {
  it('refuses host credentials with a control character, naming the field and not the value', async () => {
    const before = server.requests.length;
    const secret = 'secret-with\r\nInjected: header';
    const error = await rejected(
      invoke(
        inputFor(server.url),
        quietContext({ credentials: { accessKeyId: 'AKIDHARDEN1', secretAccessKey: secret } }),
      ),
    );
    expect(error.code).toBe('CREDENTIALS_UNAVAILABLE');
    expect(error.message).toContain('secretAccessKey must be printable ASCII');
    expect(error.message).not.toContain('Injected');
    expect(server.requests.length).toBe(before);
  });

  it('reports a session token with non-ASCII text as an error event in chunked mode, sending nothing', async () => {
    const before = server.requests.length;
    const credentials = { accessKeyId: 'AKIDHARDEN2', secretAccessKey: 'ok-secret', sessionToken: 'tök' };
    const events = invokeStream(inputFor(server.url), quietContext({ credentials }));
    const error = await rejected(collect(events));
    expect(error.code).toBe('CREDENTIALS_UNAVAILABLE');
    expect(server.requests.length).toBe(before);
  });

  it('validates a body made in another realm instead of skipping its checks', async () => {
    const body = runInNewContext('({ Payload: { big: 1n } })') as Record<string, unknown>;
    const error = await rejected(invoke({ ...inputFor(server.url), body }, quietContext()));
    expect(error.code).toBe('INVALID_INPUT');
    expect(JSON.stringify(error.toJSON())).toContain('body.Payload');
  });

  it('confines file:// payloads to payloadRoot, following links', async () => {
    const context = quietContext({ cwd: join(dir, 'root'), payloadRoot: join(dir, 'root') });
    const ok = await invoke({ ...inputFor(server.url), body: { Payload: 'file://inside.json' } }, context);
    expect(ok.statusCode).toBe(200);
    expect(server.requests.at(-1)?.body.toString()).toBe('{"inside":true}');

    const before = server.requests.length;
    for (const ref of ['file://../outside.json', `file://${join(dir, 'outside.json')}`, 'file://link.json']) {
      const error = await rejected(invoke({ ...inputFor(server.url), body: { Payload: ref } }, context));
      expect(error.code).toBe('PAYLOAD_FILE');
      expect(error.message).toContain('outside the folder');
    }
    expect(server.requests.length).toBe(before);
  });
});
