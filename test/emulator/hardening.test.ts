// The emulator refuses what it must before anything runs, never buffers an oversized body whole,
// survives clients that go away mid-stream, and closes cleanly with invocations in flight.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmulatorHandle, startEmulator } from '../../src/emulator/index.js';
import { LogProbe } from '../support/log-probe.js';
import {
  FIXTURES,
  invokePath,
  invokeWithSdk,
  payload,
  rawRequest,
  readText,
  sdkClient,
  signedRequest,
  until,
} from './helpers.js';

let emulator: EmulatorHandle;
// The functions run in their own sandboxes: they report through their log (test/support/log-probe.ts).
const probe = new LogProbe();

beforeAll(async () => {
  emulator = await startEmulator({ functionsDir: FIXTURES, onLog: probe.onLog });
});

afterAll(async () => {
  await emulator.close();
});

describe('refusals run nothing', () => {
  it('an unsigned request gets 403 MissingAuthenticationTokenException', async () => {
    const before = probe.count('ran');
    const res = await rawRequest(emulator.url, { path: invokePath('ran'), body: Buffer.from('{}') });
    expect(res.status).toBe(403);
    expect(res.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    expect(res.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(probe.count('ran')).toBe(before);
  });

  it('a request signed with the wrong secret gets 403 and runs nothing (the right key with UNSIGNED-PAYLOAD runs)', async () => {
    const before = probe.count('ran');
    const res = await signedRequest(emulator.url, {
      path: invokePath('ran'),
      headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      body: payload({}),
    });
    expect(res.statusCode).toBe(200);
    await readText(res);
    expect(probe.count('ran')).toBe(before + 1);

    const wrong = await signedRequest(emulator.url, {
      path: invokePath('ran'),
      credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' },
      body: payload({}),
    });
    expect(wrong.statusCode).toBe(403);
    expect(JSON.parse(await readText(wrong))).toMatchObject({ Type: 'User' });
    expect(probe.count('ran')).toBe(before + 1);
  });

  it('an unknown route gets 404 UnknownOperationException', async () => {
    const res = await signedRequest(emulator.url, { path: '/2015-03-31/functions/ran/configuration' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['x-amzn-errortype']).toBe('UnknownOperationException');
    await readText(res);
  });

  it('answers 413 from the declared length, before the body is sent', async () => {
    const answer = await new Promise<{ status: number; type: unknown }>((resolve, reject) => {
      const req = request(
        `${emulator.url}${invokePath('ran')}`,
        {
          method: 'POST',
          headers: { 'content-length': 10_000_000, authorization: 'AWS4-HMAC-SHA256 Credential=x' },
        },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, type: res.headers['x-amzn-errortype'] });
          req.destroy();
        },
      );
      req.on('error', (error) => {
        if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
      });
      // Only 1 KB of the declared 10 MB is ever sent: the answer cannot depend on the rest.
      req.write(Buffer.alloc(1024));
    });
    expect(answer).toEqual({ status: 413, type: 'RequestTooLargeException' });
  });

  it('answers 413 for a chunked body as soon as it passes the limit', async () => {
    const answer = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${emulator.url}${invokePath('ran')}`,
        {
          method: 'POST',
          headers: { 'transfer-encoding': 'chunked', authorization: 'AWS4-HMAC-SHA256 Credential=x' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', (error) => {
        if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
      });
      const piece = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < 7; i += 1) req.write(piece);
    });
    expect(answer).toBe(413);
  });
});

describe('clients that go away', () => {
  it('a disconnect mid-stream ends the handler’s stream and the emulator keeps serving', async () => {
    probe.reset();
    const res = await signedRequest(emulator.url, { path: invokePath('disconnect'), body: payload({}) });
    expect(res.statusCode).toBe(200);
    await new Promise<void>((resolve) => {
      let seen = 0;
      res.on('data', (chunk: Buffer) => {
        seen += chunk.length;
        if (seen > 200) resolve();
      });
    });
    res.destroy();
    res.request.destroy();
    await until(() => probe.seen('closed') && probe.seen('ended'), 'the handler to see its stream end');
    expect(Number(probe.values('ended')[0])).toBeLessThan(100000);

    const client = sdkClient(emulator.url);
    const after = await invokeWithSdk(client, {
      FunctionName: 'plain',
      Payload: payload({ still: 'serving' }),
    });
    client.destroy();
    expect(JSON.parse(after.text)).toEqual({ received: { still: 'serving' }, kind: 'plain' });
  });

  it('close() ends invocations in flight and stops listening', async () => {
    const own = await startEmulator({ functionsDir: FIXTURES });
    const res = await signedRequest(own.url, { path: invokePath('hang'), body: payload({}) });
    expect(res.statusCode).toBe(200);
    const ended = new Promise<string>((resolve) => {
      res.on('error', () => resolve('error'));
      res.on('aborted', () => resolve('aborted'));
      res.on('end', () => resolve('end'));
      res.resume();
    });
    await own.close();
    expect(['error', 'aborted', 'end']).toContain(await ended);
    await expect(rawRequest(own.url, { path: '/' })).rejects.toThrow();
  });
});
