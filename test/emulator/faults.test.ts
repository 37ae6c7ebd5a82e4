// Each fault the reliability suite drives behaves exactly as documented, read with the project's
// own framer and decoder so checksum and truncation faults show up as the typed errors they cause.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmulatorHandle, startEmulator } from '../../src/emulator/index.js';
import { decodeResponse, invokePath, payload, readText, signedRequest } from './helpers.js';

let emulator: EmulatorHandle;

beforeAll(async () => {
  emulator = await startEmulator({ faults: { ndjson: { throttle: 1 } } });
});

afterAll(async () => {
  await emulator.close();
});

function tokens(fault: unknown, count = 5) {
  return signedRequest(emulator.url, {
    path: invokePath('tokens'),
    headers: { 'x-emulator-fault': JSON.stringify(fault) },
    body: payload({ count, delayMs: 0 }),
  });
}

const chunkTexts = (events: Array<{ type: string; body: Buffer }>) =>
  events.filter((e) => e.type === 'PayloadChunk').map((e) => e.body.toString('utf8'));
const ALL = ['The', ' quick', ' model', ' streams', ' tokens'];

describe('counted faults', () => {
  it('throttles the first N requests with 429, Retry-After and Reason, then serves', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await tokens({ throttle: 2, retryAfterSeconds: 3, key: 'throttle-test' });
      statuses.push(res.statusCode ?? 0);
      if (res.statusCode === 429) {
        expect(res.headers['retry-after']).toBe('3');
        expect(res.headers['x-amzn-errortype']).toBe('TooManyRequestsException');
        expect(JSON.parse(await readText(res))).toEqual({
          Type: 'User',
          message: 'Rate Exceeded.',
          Reason: 'ConcurrentInvocationLimitExceeded',
        });
      } else {
        expect(chunkTexts((await decodeResponse(res)).events)).toEqual(ALL);
      }
    }
    expect(statuses).toEqual([429, 429, 200]);
  });

  it('answers server errors of the given status and type after the throttles', async () => {
    const spec = {
      throttle: 1,
      serverError: 2,
      serverErrorStatus: 502,
      serverErrorType: 'EC2UnexpectedException',
      key: 'mixed',
    };
    const answers: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const res = await tokens(spec);
      answers.push(`${res.statusCode} ${res.headers['x-amzn-errortype'] ?? ''}`.trim());
      await readText(res);
    }
    expect(answers).toEqual([
      '429 TooManyRequestsException',
      '502 EC2UnexpectedException',
      '502 EC2UnexpectedException',
      '200',
    ]);
  });

  it('applies faults from the options per function, and resetFaults() starts the count again', async () => {
    const call = async () => {
      const res = await signedRequest(emulator.url, {
        path: invokePath('ndjson'),
        body: payload({ records: 1 }),
      });
      await readText(res);
      return res.statusCode;
    };
    expect([await call(), await call()]).toEqual([429, 200]);
    emulator.resetFaults();
    expect(await call()).toBe(429);
  });

  it('refuses a malformed fault header, naming the field', async () => {
    const res = await tokens({ throttle: -1 });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(await readText(res)).message).toBe(
      'x-emulator-fault.throttle must be a non-negative integer',
    );
  });
});

describe('stream faults', () => {
  it('delays the first chunk and the chunks between, delivering everything', async () => {
    const res = await tokens({ delayFirstChunkMs: 30, delayBetweenChunksMs: 5 });
    expect(res.statusCode).toBe(200);
    const decoded = await decodeResponse(res);
    expect(decoded.error).toBeUndefined();
    expect(chunkTexts(decoded.events)).toEqual(ALL);
    expect(decoded.events.at(-1)?.type).toBe('InvokeComplete');
  });

  it('drops the connection after N chunks: no InvokeComplete, the read fails', async () => {
    const res = await tokens({ dropAfterChunks: 2 });
    const decoded = await decodeResponse(res);
    expect(chunkTexts(decoded.events)).toEqual(ALL.slice(0, 2));
    expect(decoded.events.some((e) => e.type === 'InvokeComplete')).toBe(false);
    expect(decoded.error).toBeDefined();
  });

  it('corrupts the message CRC of chunk N', async () => {
    const res = await tokens({ corruptChunk: 3 });
    const decoded = await decodeResponse(res);
    expect(chunkTexts(decoded.events)).toEqual(ALL.slice(0, 2));
    expect(decoded.error?.code).toBe('STREAM_CHECKSUM');
  });

  it('truncates message N (InvokeComplete counts) and ends the body', async () => {
    const cutChunk = await decodeResponse(await tokens({ truncateMessage: 2 }));
    expect(chunkTexts(cutChunk.events)).toEqual(ALL.slice(0, 1));
    expect(cutChunk.error?.code).toBe('STREAM_TRUNCATED');

    const cutComplete = await decodeResponse(await tokens({ truncateMessage: 6 }));
    expect(chunkTexts(cutComplete.events)).toEqual(ALL);
    expect(cutComplete.error?.code).toBe('STREAM_TRUNCATED');
  });

  it('omits InvokeComplete but ends the body cleanly', async () => {
    const decoded = await decodeResponse(await tokens({ omitComplete: true }));
    expect(decoded.error).toBeUndefined();
    expect(chunkTexts(decoded.events)).toEqual(ALL);
    expect(decoded.events.some((e) => e.type === 'InvokeComplete')).toBe(false);
  });

  it('runs the clock skewed: an on-time signature is expired, one dated by the Date header passes', async () => {
    const skewMs = 20 * 60 * 1000;
    const fault = { 'x-emulator-fault': JSON.stringify({ clockSkewMs: skewMs }) };
    const first = await signedRequest(emulator.url, {
      path: invokePath('echo'),
      headers: fault,
      body: payload({}),
    });
    expect(first.statusCode).toBe(403);
    expect(first.headers['x-amzn-errortype']).toBe('InvalidSignatureException');
    expect(JSON.parse(await readText(first)).message).toMatch(
      /^Signature expired: \d{8}T\d{6}Z is now earlier than/,
    );
    const serverDate = new Date(String(first.headers.date));
    expect(serverDate.getTime()).toBeGreaterThan(Date.now() + skewMs - 5 * 60 * 1000);

    const second = await signedRequest(emulator.url, {
      path: invokePath('echo'),
      headers: fault,
      body: payload({ ok: 1 }),
      signingDate: serverDate,
    });
    expect(second.statusCode).toBe(200);
    expect(chunkTexts((await decodeResponse(second)).events)).toEqual(['{"ok":1}']);
  });
});
