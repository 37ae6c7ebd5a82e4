import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { type TaskError, TransportError } from '../errors.js';
import type { RetryClass } from '../request/error-retry-classifier.js';
import { type AgentPool, defaultAgentPool, httpsModule, proxyAuthorization } from './agent-pool.js';
import { CallDeadlines, type DeadlineKind } from './call-deadlines.js';
import { resolveProxy } from './resolve-proxy.js';
import { MAX_ERROR_BODY_BYTES, toServiceError } from './service-error.js';

/** Timeouts of one HTTP call, in milliseconds. */
export interface TransportTimeouts {
  /** Until the TCP (and TLS) connection is up. */
  connectMs: number;
  /** From the request being sent to the response headers. */
  firstByteMs: number;
  /** Between two body reads while the reader is waiting (a paused reader never times out). */
  idleMs: number;
  /** The whole call, until the body has been read. */
  totalMs: number;
}

/** A signed request as it goes on the wire. */
export interface WireRequest {
  method: string;
  /** The target's scheme, host and port. */
  origin: URL;
  /** Path and encoded query, exactly as on the request line. */
  target: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface SendOptions {
  timeouts: TransportTimeouts;
  signal?: AbortSignal | undefined;
  /** Read for `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`. */
  env: Readonly<Record<string, string | undefined>>;
  pool?: AgentPool | undefined;
  now: () => number;
  /** Request-id headers, first present wins. */
  requestIdHeaders: readonly string[];
  /** Retry class of a named service error. */
  classifyError?: ((awsErrorType: string | undefined) => RetryClass | undefined) | undefined;
  /** Told of every response's status and headers (error answers too) as they arrive. */
  onResponseHeaders?: ((statusCode: number, headers: IncomingHttpHeaders) => void) | undefined;
}

/** The response body: pull-driven (the socket is read only as fast as `next()` is called). */
export interface ResponseBody extends AsyncIterableIterator<Uint8Array> {
  /** Stop reading and close the connection (a no-op once the body has ended). */
  return(): Promise<IteratorResult<Uint8Array>>;
}

/** A successful (status < 300) response whose body is still streaming. */
export interface TransportResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: ResponseBody;
}

const NOT_RETRYABLE_CONNECT =
  /^(ERR_TLS|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|ERR_SSL|HOSTNAME_MISMATCH|ERR_INVALID)/;

function connectionError(error: unknown, phase: string): TransportError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const why = error instanceof Error ? error.message : String(error);
  return new TransportError('CONNECTION_FAILED', `The connection failed ${phase}: ${why}`, {
    cause: error,
    retryable: !NOT_RETRYABLE_CONNECT.test(code),
    ...(code ? { details: { errno: code } } : {}),
  });
}

/** Body bytes read ahead of the consumer before the response is paused. */
const READ_AHEAD_BYTES = 128 * 1024;

/**
 * The headers as name/value pairs, with the body's `content-length`. Given pairs, node:http writes
 * the header block in one pass (validating every name and value) instead of first storing each
 * header through `setHeader`; it then adds no headers of its own except `Connection`, so the
 * length that it would otherwise add at `end(body)` is set here.
 */
function headerLines(headers: Record<string, string>, body: Uint8Array): string[] {
  const lines: string[] = [];
  let hasLength = false;
  for (const name of Object.keys(headers)) {
    lines.push(name, headers[name]!);
    if (!hasLength && name.length === 14 && name.toLowerCase() === 'content-length') hasLength = true;
  }
  if (!hasLength) lines.push('content-length', String(body.byteLength));
  return lines;
}

function abortError(signal: AbortSignal): TransportError {
  return new TransportError('ABORTED', 'The call was cancelled', { cause: signal.reason });
}

/**
 * Send one HTTP/1.1 request over the keep-alive pool and resolve at the response headers.
 * Status ≥ 300 rejects with a `ServiceError` (a bounded body excerpt is read). Timeouts and
 * the `AbortSignal` destroy the socket at once and reject (or fail the body) with a
 * `TransportError` whose code names the timeout; every listener and timer is removed when the
 * call ends.
 * @example
 * const res = await sendRequest(wire, { timeouts, env: process.env, now: Date.now, requestIdHeaders: ['x-amzn-requestid'] })
 * for await (const bytes of res.body) process.stdout.write(bytes)
 */
export function sendRequest(request: WireRequest, options: SendOptions): Promise<TransportResponse> {
  const { signal, timeouts } = options;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  const pool = options.pool ?? defaultAgentPool;
  const { origin } = request;
  const secure = origin.protocol === 'https:';
  const proxy = resolveProxy(origin, options.env);
  const agent = pool.agentFor(origin, proxy);
  const port = origin.port ? Number(origin.port) : secure ? 443 : 80;

  let requestOptions: http.RequestOptions;
  let send: typeof http.request;
  if (proxy && !secure) {
    // Plain-http target through a proxy: absolute-form request line, sent to the proxy.
    const headers: Record<string, string> = { ...request.headers };
    const auth = proxyAuthorization(proxy);
    if (auth) headers['proxy-authorization'] = auth;
    requestOptions = {
      host: proxy.hostname,
      port: proxy.port || (proxy.protocol === 'https:' ? 443 : 80),
      path: `${origin.origin}${request.target}`,
      method: request.method,
      headers,
      agent,
    };
    send = proxy.protocol === 'https:' ? httpsModule().request : http.request;
  } else {
    requestOptions = {
      host: origin.hostname.replace(/^\[|\]$/g, ''),
      port,
      path: request.target,
      method: request.method,
      headers: headerLines(request.headers, request.body),
      agent,
      ...(secure ? { servername: origin.hostname } : {}),
    };
    send = secure ? httpsModule().request : http.request;
  }

  return new Promise<TransportResponse>((resolve, reject) => {
    let settled = false;
    let finished = false;
    let failure: TaskError | undefined;
    let response: IncomingMessage | undefined;
    let ended = false;
    let waiter:
      | { resolve: (r: IteratorResult<Uint8Array>) => void; reject: (e: unknown) => void }
      | undefined;

    const cleanup = (): void => {
      finished = true;
      deadlines.stop();
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: TaskError): void => {
      if (finished) return;
      failure = error;
      cleanup();
      req.destroy();
      response?.destroy();
      if (!settled) {
        settled = true;
        reject(error);
      }
      const w = waiter;
      waiter = undefined;
      w?.reject(error);
    };
    const onAbort = (): void => fail(abortError(signal!));
    signal?.addEventListener('abort', onAbort, { once: true });

    let onIdle = (): void => {};
    const deadlines = new CallDeadlines(
      { total: timeouts.totalMs, connect: timeouts.connectMs },
      (kind: DeadlineKind): void => {
        switch (kind) {
          case 'total':
            fail(
              new TransportError(
                'TOTAL_TIMEOUT',
                `The call took longer than ${timeouts.totalMs} ms in total`,
              ),
            );
            return;
          case 'connect':
            fail(
              new TransportError(
                'CONNECT_TIMEOUT',
                `No connection to ${origin.host} within ${timeouts.connectMs} ms`,
                { retryable: true },
              ),
            );
            return;
          case 'firstByte':
            fail(
              new TransportError(
                'FIRST_BYTE_TIMEOUT',
                `No response headers within ${timeouts.firstByteMs} ms of sending the request`,
              ),
            );
            return;
          case 'idle':
            onIdle();
        }
      },
    );

    const req = send(requestOptions);
    req.on('socket', (socket: Socket) => {
      if (finished) return;
      const connected = (): void => deadlines.clear('connect');
      if (req.reusedSocket) connected();
      // A TLS socket (its `encrypted` is true) is connected once its handshake is done.
      else
        socket.once((socket as { encrypted?: boolean }).encrypted ? 'secureConnect' : 'connect', connected);
    });
    req.on('finish', () => {
      if (finished || response) return;
      deadlines.start('firstByte', timeouts.firstByteMs);
    });
    req.on('error', (error) =>
      fail(connectionError(error, response ? 'while reading the response' : 'before a response')),
    );
    req.on('response', (res) => {
      if (finished) {
        res.destroy();
        return;
      }
      response = res;
      deadlines.clear('connect');
      deadlines.clear('firstByte');
      options.onResponseHeaders?.(res.statusCode ?? 0, res.headers);

      // The body is taken one 'data' piece at a time: `read()` would concatenate (copy) whatever is
      // buffered. While the consumer works, up to READ_AHEAD_BYTES wait here; past that the response is
      // paused, so the socket is read only as fast as the consumer pulls, plus that bounded read-ahead
      // (which saves pausing and resuming the socket on every read).
      const queue: Buffer[] = [];
      let queued = 0;
      let paused = false;
      const onData = (chunk: Buffer): void => {
        const w = waiter;
        if (w !== undefined) {
          waiter = undefined;
          w.resolve({ done: false, value: chunk });
          return;
        }
        queue.push(chunk);
        queued += chunk.byteLength;
        if (!paused && queued >= READ_AHEAD_BYTES) {
          paused = true;
          res.pause();
        }
      };
      const onEnd = (): void => {
        ended = true;
        cleanup();
        const w = waiter;
        waiter = undefined;
        w?.resolve({ done: true, value: undefined });
      };
      res.on('data', onData);
      res.on('end', onEnd);
      res.on('error', (error) => fail(connectionError(error, 'while reading the response')));
      res.on('close', () => {
        if (!ended)
          fail(connectionError(new Error('the connection closed before the response ended'), 'mid-response'));
      });

      onIdle = (): void => {
        if (waiter !== undefined) {
          fail(
            new TransportError(
              'IDLE_TIMEOUT',
              `No data for ${timeouts.idleMs} ms while reading the response`,
            ),
          );
        }
      };
      const body: ResponseBody = {
        next(): Promise<IteratorResult<Uint8Array>> {
          if (failure) return Promise.reject(failure);
          const chunk = queue.shift();
          if (chunk !== undefined) {
            queued -= chunk.byteLength;
            if (paused && queued < READ_AHEAD_BYTES) {
              paused = false;
              res.resume();
            }
            return Promise.resolve({ done: false, value: chunk });
          }
          if (ended || finished) return Promise.resolve({ done: true, value: undefined });
          return new Promise((resolveNext, rejectNext) => {
            waiter = { resolve: resolveNext, reject: rejectNext };
            deadlines.start('idle', timeouts.idleMs);
          });
        },
        return(): Promise<IteratorResult<Uint8Array>> {
          if (!finished) {
            cleanup();
            req.destroy();
            res.destroy();
          }
          const w = waiter;
          waiter = undefined;
          w?.resolve({ done: true, value: undefined });
          return Promise.resolve({ done: true, value: undefined });
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };

      const statusCode = res.statusCode ?? 0;
      if (statusCode < 300) {
        settled = true;
        resolve({ statusCode, headers: res.headers, body });
        return;
      }
      readBounded(body, MAX_ERROR_BODY_BYTES).then(
        (bytes) => {
          if (settled) return;
          settled = true;
          reject(
            toServiceError(statusCode, res.headers, bytes, {
              requestIdHeaders: options.requestIdHeaders,
              classify: options.classifyError ?? (() => undefined),
              nowMs: options.now(),
            }),
          );
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          reject(error);
        },
      );
    });
    req.end(request.body);
  });
}

/** Read at most `max` bytes; a longer body is cut and its connection closed. */
async function readBounded(body: ResponseBody, max: number): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await body.next();
    if (done) break;
    parts.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    size += value.byteLength;
    if (size >= max) {
      await body.return();
      break;
    }
  }
  return Buffer.concat(parts, size).subarray(0, max);
}
