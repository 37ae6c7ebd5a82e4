import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isTaskError, type TaskError } from '../../src/errors.js';
import { invoke } from '../../src/execute.js';
import { ReadFileError, readRegularFile } from '../../src/index.js';
import {
  eventStream,
  type StreamServer,
  startStreamServer,
  streamResponse,
} from '../support/stream-server.js';
import { inputFor, quietContext } from './helpers.js';

// Issue 18, defect 1: `file:///dev/zero` passed the size check (stat says 0 bytes) and memory grew
// without limit; a named pipe hung the call forever, past the total timeout. Only regular files are
// read, never more than the limit plus one byte, and the read stops with the call's deadline.
let server: StreamServer;
let dir: string;
let fifo: string;
beforeAll(async () => {
  server = await startStreamServer();
  server.respond(streamResponse(eventStream(['ok'])));
  dir = await mkdtemp(join(tmpdir(), 'special-files-'));
  fifo = join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
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

function withPayload(payload: string) {
  return inputFor(server.url, { body: { Payload: payload } });
}

describe('file:// payloads from special files', () => {
  it('refuses a character device such as /dev/zero before reading it, sending nothing', async () => {
    const before = server.requests.length;
    const error = await rejected(invoke(withPayload('file:///dev/zero'), quietContext()));
    expect(error.code).toBe('PAYLOAD_FILE');
    expect(error.message).toContain('body.Payload');
    expect(error.message).toContain('a character device, not a regular file');
    expect(server.requests.length).toBe(before);
  });

  it('refuses a named pipe with no writer at once instead of waiting on it forever', async () => {
    const error = await rejected(invoke(withPayload(`file://${fifo}`), quietContext()));
    expect(error.code).toBe('PAYLOAD_FILE');
    expect(error.message).toContain('a named pipe, not a regular file');
  });

  it('still sends a regular file', async () => {
    await writeFile(join(dir, 'ok.json'), '{"from":"file"}');
    const result = await invoke(withPayload(`file://${join(dir, 'ok.json')}`), quietContext());
    expect(result.statusCode).toBe(200);
    expect(Buffer.from(server.requests.at(-1)!.body).toString()).toBe('{"from":"file"}');
  });
});

describe('readRegularFile', () => {
  it('stops one byte past the limit when the size from stat is wrong (a /proc file says 0 bytes)', async () => {
    let failure: unknown;
    try {
      await readRegularFile('/proc/self/maps', { maxBytes: 16 });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ReadFileError);
    expect((failure as ReadFileError).failure).toEqual({ kind: 'too-large', bytes: 17, atLeast: true });
  });

  it('reads nothing once the signal has fired (the call deadline or a cancel)', async () => {
    await writeFile(join(dir, 'small.txt'), 'hello');
    const controller = new AbortController();
    controller.abort(new Error('deadline'));
    await expect(
      readRegularFile(join(dir, 'small.txt'), { maxBytes: 100, signal: controller.signal }),
    ).rejects.toMatchObject({ failure: { kind: 'aborted' } });
    expect((await readRegularFile(join(dir, 'small.txt'), { maxBytes: 100 })).toString()).toBe('hello');
  });

  it('turns a host cancel during preparation into ABORTED', async () => {
    await writeFile(join(dir, 'p.json'), '{}');
    const controller = new AbortController();
    controller.abort();
    const error = await rejected(
      invoke(withPayload(`file://${join(dir, 'p.json')}`), quietContext({ signal: controller.signal })),
    );
    expect(error.code).toBe('ABORTED');
  });
});
