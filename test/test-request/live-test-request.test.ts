import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator } from '../../src/emulator/index.js';
import { type ExecuteContext, type LiveTestEvent, testRequest, testRequestLive } from '../../src/index.js';
import { expectNoSecrets, FAKE } from '../hosts-cli/support/harness.js';

const FUNCTIONS = join(import.meta.dirname, '../fixtures/live-functions');

let samples: Awaited<ReturnType<typeof startEmulator>>;
let fixtures: Awaited<ReturnType<typeof startEmulator>>;
const signatures: string[] = [];

/** A promise with its resolver outside, for the gates and probes the fixture functions read. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * A local HTTP server the fixture functions call (they run in worker threads): `/gate` is answered
 * only once `open()` is called; `/started` and `/closed` resolve the promises of the same names.
 */
async function probeServer() {
  const gate = deferred();
  const started = deferred();
  const closed = deferred();
  const server = createServer((req, res) => {
    if (req.url === '/gate') void gate.promise.then(() => res.end('open'));
    else {
      if (req.url === '/started') started.resolve();
      if (req.url === '/closed') closed.resolve();
      res.end('ok');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    open: gate.resolve,
    started: started.promise,
    closed: closed.promise,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  const credentials = [{ accessKeyId: FAKE.accessKeyId, secretAccessKey: FAKE.secretAccessKey }];
  samples = await startEmulator({ credentials });
  fixtures = await startEmulator({ credentials, functionsDir: FUNCTIONS });
});
afterAll(async () => {
  await samples.close();
  await fixtures.close();
});

function context(url: string, extra: ExecuteContext = {}): ExecuteContext {
  return {
    credentials: FAKE,
    env: { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_LAMBDA: url },
    observer: {
      onRequest: (r) => {
        const signature = /Signature=([0-9a-f]+)/.exec(
          r.headers.authorization ?? r.headers.Authorization ?? '',
        );
        if (signature?.[1]) signatures.push(signature[1]);
      },
    },
    ...extra,
  };
}

async function collect(events: AsyncIterable<LiveTestEvent>): Promise<LiveTestEvent[]> {
  const out: LiveTestEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

describe('testRequestLive', () => {
  it('yields request, response, each chunk, complete, then the report testRequest returns', async () => {
    const input = { path: { FunctionName: 'tokens' }, body: { Payload: { count: 4, delayMs: 0 } } };
    const events = await collect(testRequestLive(input, context(samples.url)));
    expect(events.map((e) => e.type)).toEqual([
      'request',
      'response',
      'chunk',
      'chunk',
      'chunk',
      'chunk',
      'complete',
      'report',
    ]);
    const [request, response] = events;
    expect(request).toMatchObject({ type: 'request', attempt: 1, request: { method: 'POST' } });
    if (request?.type !== 'request') throw new Error('no request event');
    expect(request.request.curl.command).toContain('--aws-sigv4');
    expect(request.request.headers.authorization ?? request.request.headers.Authorization).toContain(
      'Signature=<redacted>',
    );
    expect(response).toMatchObject({ type: 'response', statusCode: 200, executedVersion: '$LATEST' });
    const chunks = events.filter((e) => e.type === 'chunk');
    expect(chunks.map((c) => [c.seq, c.preview.text, c.bytes])).toEqual([
      [0, 'The', 3],
      [1, ' quick', 9],
      [2, ' model', 15],
      [3, ' streams', 23],
    ]);
    expect(events.at(-2)).toMatchObject({ type: 'complete', statusCode: 200, bytes: 23, chunks: 4 });
    const last = events.at(-1);
    if (last?.type !== 'report') throw new Error('the report is not last');
    expect(last.report.outcome).toBe('success');
    expect(last.report.response).toMatchObject({ bytes: 23, chunks: 4 });

    const oneShot = await testRequest(input, context(samples.url));
    expect(oneShot.outcome).toBe(last.report.outcome);
    expect(oneShot.response?.events.map((e) => e.eventType)).toEqual(
      last.report.response?.events.map((e) => e.eventType),
    );
    expectNoSecrets(JSON.stringify(events), signatures);
  });

  it('hands out a chunk while the function is still running', async () => {
    const probe = await probeServer();
    const seen: string[] = [];
    const input = { path: { FunctionName: 'gated' }, body: { Payload: { gate: `${probe.url}/gate` } } };
    for await (const event of testRequestLive(input, context(fixtures.url))) {
      seen.push(event.type === 'chunk' ? `chunk:${event.preview.text}` : event.type);
      // The function cannot write 'second' until this gate opens: the first chunk came while it ran.
      if (event.type === 'chunk' && event.seq === 0) probe.open();
    }
    await probe.close();
    expect(seen).toEqual(['request', 'response', 'chunk:first', 'chunk:second', 'complete', 'report']);
  });

  it('yields the HTTP-integration prelude before the body that follows it', async () => {
    const events = await collect(
      testRequestLive({ path: { FunctionName: 'prelude' } }, context(fixtures.url)),
    );
    const types = events.map((e) => e.type);
    expect(types.indexOf('prelude')).toBeLessThan(types.indexOf('chunk'));
    expect(events.find((e) => e.type === 'prelude')).toMatchObject({
      statusCode: 201,
      headers: { 'x-custom': 'yes' },
      cookies: ['a=1'],
    });
    const report = events.at(-1);
    if (report?.type !== 'report') throw new Error('the report is not last');
    expect(report.report.output?.httpResponse).toMatchObject({ statusCode: 201 });
    expect(report.report.output?.preview.text).toBe('created here');
  });

  it('previews binary chunks as hex with their size', async () => {
    const events = await collect(
      testRequestLive({ path: { FunctionName: 'binary' } }, context(fixtures.url)),
    );
    expect(events.find((e) => e.type === 'chunk')).toMatchObject({
      size: 4,
      bytes: 4,
      preview: { bytes: 4, truncated: false, hex: '000102ff' },
    });
  });

  it('ends a function error with an error event carrying its hint, then the report with the log', async () => {
    const input = { path: { FunctionName: 'fails' }, headers: { 'X-Amz-Log-Type': 'Tail' } };
    const events = await collect(testRequestLive(input, context(samples.url)));
    expect(events.map((e) => e.type).slice(-2)).toEqual(['error', 'report']);
    expect(events.at(-2)).toMatchObject({
      type: 'error',
      error: { code: 'FUNCTION_ERROR', functionErrorCode: 'Error', hint: expect.stringMatching(/log tail/) },
    });
    const report = events.at(-1);
    if (report?.type !== 'report') throw new Error('the report is not last');
    expect(report.report.log?.text).toContain('failing now');
  });

  it('reports invalid input with an error and the report, sending nothing', async () => {
    const events = await collect(
      testRequestLive({ path: { FunctionName: 'not valid!' } }, context(samples.url)),
    );
    expect(events.map((e) => e.type)).toEqual(['error', 'report']);
    const report = events.at(-1);
    if (report?.type !== 'report') throw new Error('the report is not last');
    expect(report.report).toMatchObject({
      outcome: 'invalid-input',
      summary: expect.stringMatching(/1 issue/),
    });
    expect(report.report.issues?.map((i) => i.path)).toEqual(['path.FunctionName']);
  });

  it('closes the request when the signal aborts, and ends with an error and the report', async () => {
    const probe = await probeServer();
    const held = { path: { FunctionName: 'held' }, body: { Payload: { probe: probe.url } } };
    const controller = new AbortController();
    const types: string[] = [];
    const run = testRequestLive(held, context(fixtures.url, { signal: controller.signal }));
    let last: LiveTestEvent | undefined;
    for await (const event of run) {
      types.push(event.type);
      last = event;
      if (event.type === 'chunk') {
        await probe.started;
        controller.abort();
      }
    }
    await probe.closed; // the function's stream was closed on the emulator's side
    await probe.close();
    expect(types.slice(-2)).toEqual(['error', 'report']);
    if (last?.type !== 'report') throw new Error('the report is not last');
    expect(last.report.error).toMatchObject({ code: 'ABORTED', hint: expect.stringMatching(/cancelled/) });
  });

  it('closes the request when the consumer leaves the loop early', async () => {
    const probe = await probeServer();
    const held = { path: { FunctionName: 'held' }, body: { Payload: { probe: probe.url } } };
    for await (const event of testRequestLive(held, context(fixtures.url))) {
      if (event.type === 'chunk') break;
    }
    await probe.closed;
    await probe.close();
  });
});
