// Part 8 (issue 18): the client against endpoints that misbehave on purpose. Each behaviour runs in
// aggregated mode, chunked mode and through the CLI's `run`; each must end as documented (a result,
// or a coded error), promptly, with the connection closed when the peer would not end it, and nothing
// the CLI prints for people may carry a raw control character.
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeException } from '../../src/eventstream/encode-exception.js';
import { main } from '../../src/hosts/cli/main.js';
import { createExecutor, isTaskError, type OutputEvent, type TaskInput } from '../../src/index.js';
import { captureIO } from '../hosts-cli/support/harness.js';
import {
  eventStream,
  type Responder,
  type StreamServer,
  startStreamServer,
  streamHeaders,
  TEST_CREDENTIALS,
} from '../support/stream-server.js';
import { isolatedEnv, writeFigures } from './helpers.js';

const HOSTILE = '\u001b[2J\u001b]0;owned\u0007';

function hasRawControl(text: string): boolean {
  for (const c of text) {
    const code = c.charCodeAt(0);
    if ((code < 0x20 && code !== 0x0a && code !== 0x09) || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/** What the server sent after the completion event, and whether the client closed the connection. */
const after = { bytes: 0, closedByClient: 0 };

function closed(res: ServerResponse): void {
  res.once('close', () => {
    if (!res.writableEnded) after.closedByClient += 1;
  });
}

interface Behaviour {
  name: string;
  /** The invocation type the call asks for. */
  invocationType?: 'DryRun';
  responder: Responder;
  /** `success`, or the error code (aggregated and chunked) and the CLI's exit status. */
  expected: { code: string; exit: number };
}

const BEHAVIOURS: Behaviour[] = [
  {
    name: 'silent after InvokeComplete',
    responder: (_req, res) => {
      res.writeHead(200, streamHeaders());
      res.write(eventStream(['{"ok":true}']));
      closed(res);
    },
    expected: { code: 'success', exit: 0 },
  },
  {
    name: 'endless bytes after InvokeComplete',
    responder: async (_req, res) => {
      res.writeHead(200, streamHeaders());
      res.write(eventStream(['{"ok":true}']));
      closed(res);
      const junk = Buffer.alloc(16 * 1024, 0x41);
      while (!res.destroyed) {
        after.bytes += junk.byteLength;
        if (!res.write(junk))
          await new Promise<void>((resolve) => {
            res.once('drain', resolve);
            res.once('close', resolve);
          });
      }
    },
    expected: { code: 'success', exit: 0 },
  },
  {
    name: '204 to a RequestResponse call',
    responder: (_req, res) => void res.writeHead(204).end(),
    expected: { code: 'SERVICE_ERROR', exit: 3 },
  },
  {
    name: '202 to a RequestResponse call',
    responder: (_req, res) => void res.writeHead(202).end(),
    expected: { code: 'SERVICE_ERROR', exit: 3 },
  },
  {
    name: '299 with an event stream',
    responder: (_req, res) => {
      res.writeHead(299, streamHeaders());
      res.end(eventStream(['x']));
    },
    expected: { code: 'SERVICE_ERROR', exit: 3 },
  },
  {
    name: '200 with an event stream to a DryRun',
    invocationType: 'DryRun',
    responder: (_req, res) => {
      res.writeHead(200, streamHeaders());
      res.end(eventStream(['ran anyway']));
    },
    expected: { code: 'SERVICE_ERROR', exit: 3 },
  },
  {
    name: 'error type and message with terminal escapes',
    responder: (_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ __type: `Bad${HOSTILE}`, message: `m${HOSTILE}` }));
    },
    expected: { code: 'SERVICE_ERROR', exit: 3 },
  },
  {
    name: 'in-stream exception with terminal escapes',
    responder: (_req, res) => {
      res.writeHead(200, streamHeaders());
      res.end(Buffer.concat([eventStream(['a'], null), encodeException(`X${HOSTILE}`, `m${HOSTILE}`)]));
    },
    expected: { code: 'STREAM_EXCEPTION', exit: 3 },
  },
  {
    name: 'InvokeComplete fields with terminal escapes',
    responder: (_req, res) => {
      res.writeHead(200, streamHeaders());
      res.end(eventStream(['a'], { ErrorCode: `C${HOSTILE}`, ErrorDetails: `D${HOSTILE}` }));
    },
    expected: { code: 'success', exit: 1 },
  },
];

let server: StreamServer;
const cells: Array<{ behaviour: string; mode: string; outcome: string; ms: number }> = [];
beforeAll(async () => {
  server = await startStreamServer();
});
afterAll(async () => {
  await server.close();
  writeFigures('hostile-endpoint', {
    behaviours: BEHAVIOURS.length,
    cells: cells.length,
    unexpected: cells.filter((c) => c.outcome.startsWith('unexpected')).length,
    bytesSentAfterCompletion: after.bytes,
    connectionsClosedByClient: after.closedByClient,
    slowestCellMs: Math.max(...cells.map((c) => c.ms)),
    matrix: cells,
  });
});

function input(b: Behaviour): TaskInput {
  return {
    path: { FunctionName: 'f' },
    ...(b.invocationType === undefined ? {} : { headers: { 'X-Amz-Invocation-Type': b.invocationType } }),
    settings: {
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { ...TEST_CREDENTIALS },
      retry: { maxAttempts: 1 },
      // Long on purpose: a cell that waited for one of these would fail the test's own timeout.
      timeouts: { idleMs: 120_000, totalMs: 240_000 },
    },
  };
}

async function aggregated(b: Behaviour): Promise<string> {
  try {
    await createExecutor().invoke(input(b), { env: isolatedEnv() });
    return 'success';
  } catch (error) {
    return isTaskError(error) ? error.code : `unexpected ${String(error)}`;
  }
}

async function chunked(b: Behaviour): Promise<string> {
  const events: OutputEvent[] = [];
  for await (const event of createExecutor().invokeStream(input(b), { env: isolatedEnv() }))
    events.push(event);
  const last = events.at(-1);
  return last?.type === 'complete' ? 'success' : last?.type === 'error' ? last.code : 'unexpected end';
}

async function cli(b: Behaviour): Promise<{ exit: number; inert: boolean }> {
  const env = isolatedEnv({
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
  });
  const { io, stderr } = captureIO(env);
  const args = ['run', '--function-name', 'f', '--endpoint-url', server.url, '--max-attempts', '1'];
  if (b.invocationType !== undefined) args.push('--invocation-type', b.invocationType);
  const exit = await main(args, io);
  return { exit, inert: !hasRawControl(stderr.text()) };
}

describe('hostile endpoints', () => {
  it.each(BEHAVIOURS.map((b) => [b.name, b] as const))(
    '%s ends as documented in every mode',
    async (_name, b) => {
      server.respond(b.responder);
      for (const [mode, run] of [
        ['aggregated', aggregated],
        ['chunked', chunked],
      ] as const) {
        const started = performance.now();
        const outcome = await run(b);
        cells.push({ behaviour: b.name, mode, outcome, ms: Math.round(performance.now() - started) });
        expect(outcome).toBe(b.expected.code);
      }
      const started = performance.now();
      const { exit, inert } = await cli(b);
      cells.push({
        behaviour: b.name,
        mode: 'cli',
        outcome: `exit ${exit}`,
        ms: Math.round(performance.now() - started),
      });
      expect(exit).toBe(b.expected.exit);
      expect(inert).toBe(true);
    },
  );

  it('closed every connection the peer would not end, after a bounded read', () => {
    expect(after.closedByClient).toBeGreaterThanOrEqual(6);
    expect(after.bytes).toBeLessThan(64 * 1024 * 1024);
  });
});
