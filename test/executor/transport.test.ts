import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createNetServer, connect as netConnect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isTaskError, type TaskError } from '../../src/errors.js';
import { createExecutor, invokeStream } from '../../src/execute.js';
import { AgentPool } from '../../src/transport/agent-pool.js';
import { isNoProxy, resolveProxy } from '../../src/transport/resolve-proxy.js';
import {
  eventStream,
  type StreamServer,
  startStreamServer,
  streamHeaders,
  streamResponse,
} from '../support/stream-server.js';
import { TEST_TLS_CERT, TEST_TLS_KEY } from '../support/tls-localhost.js';
import { collect, inputFor, quietContext } from './helpers.js';

let server: StreamServer;
beforeAll(async () => {
  server = await startStreamServer();
});
afterAll(() => server.close());

async function rejection(promise: Promise<unknown>): Promise<TaskError> {
  try {
    await promise;
  } catch (error) {
    if (isTaskError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

function listen(s: Server | ReturnType<typeof createNetServer>): Promise<number> {
  return new Promise((resolve) =>
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    }),
  );
}

const noRetry = { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1 };

describe('timeouts', () => {
  it('CONNECT_TIMEOUT when the TLS connection never comes up', async () => {
    // A TCP server that accepts and never answers the TLS ClientHello.
    const held: Socket[] = [];
    const silent = createNetServer((socket) => held.push(socket));
    const port = await listen(silent);
    const executor = createExecutor({ pool: new AgentPool() });
    try {
      const error = await rejection(
        executor.invoke(
          inputFor(`https://127.0.0.1:${port}`, {
            settings: { timeouts: { connectMs: 100 }, retry: noRetry },
          }),
          quietContext(),
        ),
      );
      expect(error).toMatchObject({ code: 'CONNECT_TIMEOUT', retryable: true });
    } finally {
      for (const s of held) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it('FIRST_BYTE_TIMEOUT when the headers never come', async () => {
    server.respond(() => {
      // never answers
    });
    const error = await rejection(
      createExecutor().invoke(
        inputFor(server.url, { settings: { timeouts: { firstByteMs: 100 }, retry: noRetry } }),
        quietContext(),
      ),
    );
    expect(error.code).toBe('FIRST_BYTE_TIMEOUT');
  });

  it('IDLE_TIMEOUT when the stream stalls after the first chunk', async () => {
    server.respond((_req, res) => {
      res.writeHead(200, streamHeaders());
      res.write(eventStream(['first'], null));
    });
    const events = await collect(
      invokeStream(inputFor(server.url, { settings: { timeouts: { idleMs: 150 } } }), quietContext()),
    );
    expect(events.map((e) => e.type)).toEqual(['start', 'chunk', 'error']);
    expect(events.at(-1)).toMatchObject({ code: 'IDLE_TIMEOUT', chunksDelivered: 1 });
  });

  it('TOTAL_TIMEOUT when a trickling stream never ends', async () => {
    let timer: NodeJS.Timeout | undefined;
    server.respond((_req, res) => {
      res.writeHead(200, streamHeaders());
      const bytes = eventStream(['tick'], null);
      timer = setInterval(() => {
        if (!res.destroyed) res.write(bytes);
      }, 20);
      res.on('close', () => clearInterval(timer));
    });
    try {
      const events = await collect(
        invokeStream(
          inputFor(server.url, { settings: { timeouts: { idleMs: 1000, totalMs: 300 } } }),
          quietContext(),
        ),
      );
      expect(events.at(-1)).toMatchObject({ type: 'error', code: 'TOTAL_TIMEOUT' });
      expect(events.filter((e) => e.type === 'chunk').length).toBeGreaterThan(0);
    } finally {
      clearInterval(timer);
    }
  });

  it('a paused consumer is not idle: the timer runs only while waiting for data', async () => {
    server.respond(streamResponse(eventStream(['a', 'b'])));
    const seen: string[] = [];
    for await (const event of invokeStream(
      inputFor(server.url, { settings: { timeouts: { idleMs: 100 } } }),
      quietContext(),
    )) {
      seen.push(event.type);
      if (event.type === 'chunk') await new Promise((r) => setTimeout(r, 250));
    }
    expect(seen).toEqual(['start', 'chunk', 'chunk', 'complete']);
  });
});

describe('start event and cancellation', () => {
  it('emits start at the response headers, before any chunk exists', async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((r) => {
      release = r;
    });
    server.respond(async (_req, res) => {
      res.writeHead(200, streamHeaders({ 'x-amz-executed-version': '7' }));
      res.flushHeaders();
      await released; // the chunk is written only after the client has seen `start`
      res.end(eventStream(['late']));
    });
    const events = invokeStream(inputFor(server.url), quietContext())[Symbol.asyncIterator]();
    const first = await events.next();
    expect(first.value).toMatchObject({ type: 'start', statusCode: 200, executedVersion: '7' });
    release();
    const rest = [];
    for (let r = await events.next(); !r.done; r = await events.next()) rest.push(r.value);
    expect(rest.map((e) => e.type)).toEqual(['chunk', 'complete']);
  });

  it('aborting mid-stream closes the socket at once and yields no further events', async () => {
    server.respond((_req, res) => {
      res.writeHead(200, streamHeaders());
      res.write(eventStream(['one'], null)); // then holds the stream open
    });
    const closedBefore = server.closedSockets();
    const controller = new AbortController();
    const seen: string[] = [];
    for await (const event of invokeStream(
      inputFor(server.url),
      quietContext({ signal: controller.signal }),
    )) {
      seen.push(event.type);
      if (event.type === 'chunk') controller.abort(new Error('user cancelled'));
    }
    expect(seen).toEqual(['start', 'chunk']);
    await server.socketsClosed(closedBefore + 1);
  });

  it('aborting an aggregated call rejects with ABORTED and the reason as cause', async () => {
    server.respond((_req, res) => {
      res.writeHead(200, streamHeaders());
      res.write(eventStream(['one'], null));
    });
    const controller = new AbortController();
    const reason = new Error('stop');
    const pending = createExecutor().invoke(
      inputFor(server.url),
      quietContext({ signal: controller.signal }),
    );
    setTimeout(() => controller.abort(reason), 50);
    const error = await rejection(pending);
    expect(error.code).toBe('ABORTED');
    expect(error.cause).toBe(reason);
  });

  it('breaking out of the loop closes the socket', async () => {
    server.respond((_req, res) => {
      res.writeHead(200, streamHeaders());
      res.write(eventStream(['one', 'two'], null));
    });
    const closedBefore = server.closedSockets();
    for await (const event of invokeStream(inputFor(server.url), quietContext())) {
      if (event.type === 'chunk') break;
    }
    await server.socketsClosed(closedBefore + 1);
  });

  it('an already-aborted signal sends nothing', async () => {
    const before = server.requests.length;
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(
      createExecutor().invoke(inputFor(server.url), quietContext({ signal: controller.signal })),
    );
    expect(error.code).toBe('ABORTED');
    expect(server.requests.length).toBe(before);
  });
});

describe('proxies', () => {
  it('NO_PROXY matches hosts, suffixes, ports and *', () => {
    expect(isNoProxy('lambda.us-east-1.amazonaws.com', 443, '.amazonaws.com')).toBe(true);
    expect(isNoProxy('lambda.us-east-1.amazonaws.com', 443, '*.amazonaws.com')).toBe(true);
    expect(isNoProxy('amazonaws.com', 443, 'amazonaws.com')).toBe(true);
    expect(isNoProxy('notamazonaws.com', 443, 'amazonaws.com')).toBe(false);
    expect(isNoProxy('127.0.0.1', 8080, '127.0.0.1:9090')).toBe(false);
    expect(isNoProxy('127.0.0.1', 9090, 'localhost, 127.0.0.1:9090')).toBe(true);
    expect(isNoProxy('anything', 1, '*')).toBe(true);
    expect(resolveProxy(new URL('https://a.example'), { HTTPS_PROXY: 'http://p:3128' })?.host).toBe('p:3128');
    expect(resolveProxy(new URL('http://a.example'), { HTTPS_PROXY: 'http://p:3128' })).toBeUndefined();
    expect(
      resolveProxy(new URL('https://a.example'), { HTTPS_PROXY: 'p:3128', NO_PROXY: 'example' }),
    ).toBeUndefined();
  });

  it('sends http targets through HTTP_PROXY in absolute form, and https targets through a CONNECT tunnel', async () => {
    const seen: string[] = [];
    const proxy = createHttpServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const target = new URL(req.url ?? '');
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: `${target.pathname}${target.search}`,
          method: req.method,
          headers: req.headers,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    proxy.on('connect', (req, client: Socket, head: Buffer) => {
      seen.push(`CONNECT ${req.url}`);
      const [host, port] = (req.url ?? '').split(':');
      const upstream = netConnect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    const proxyPort = await listen(proxy);
    const tlsServer = await startStreamServer({ tls: { key: TEST_TLS_KEY, cert: TEST_TLS_CERT } });
    const pool = new AgentPool({ ca: TEST_TLS_CERT });
    const executor = createExecutor({ pool });
    try {
      server.respond(streamResponse(eventStream(['via proxy'])));
      const env = {
        HTTP_PROXY: `http://127.0.0.1:${proxyPort}`,
        HTTPS_PROXY: `http://127.0.0.1:${proxyPort}`,
      };
      const plain = await executor.invoke(inputFor(server.url), quietContext({ env }));
      expect(plain.payload).toBe('via proxy');
      expect(seen[0]).toBe(
        `POST ${server.url}/2021-11-15/functions/my-function/response-streaming-invocations`,
      );
      expect(server.requests.at(-1)?.signatureOk).toBe(true);

      tlsServer.respond(streamResponse(eventStream(['tunnelled'])));
      const secure = await executor.invoke(inputFor(tlsServer.url), quietContext({ env }));
      expect(secure.payload).toBe('tunnelled');
      expect(seen).toContain(`CONNECT 127.0.0.1:${tlsServer.port}`);
      expect(tlsServer.requests.at(-1)?.signatureOk).toBe(true);

      const before = seen.length;
      server.respond(streamResponse(eventStream(['direct'])));
      const direct = await executor.invoke(
        inputFor(server.url),
        quietContext({ env: { ...env, NO_PROXY: '127.0.0.1' } }),
      );
      expect(direct.payload).toBe('direct');
      expect(seen.length).toBe(before);
    } finally {
      pool.destroy();
      await tlsServer.close();
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });
});
