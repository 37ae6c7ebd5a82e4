import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { CallPlan } from '../definition/call-plan.js';
import { type TaskError, TransportError } from '../errors.js';
import type { TransportTimeouts } from '../request/run-settings.js';
import { type AgentPool, defaultAgentPool } from './agent-pool.js';
import { CallDeadlines, type DeadlineKind } from './call-deadlines.js';
import { abortError, connectionError } from './connection-error.js';
import { readBounded } from './read-bounded.js';
import { requestOptions, type WireRequest } from './request-options.js';
import { BodyReader, type ResponseBody } from './response-body.js';
import { MAX_ERROR_BODY_BYTES, toServiceError } from './service-error.js';

export type { WireRequest } from './request-options.js';
export type { ResponseBody } from './response-body.js';

export interface SendOptions {
  /** Success statuses, error type header, message keys and modeled errors of the definition. */
  plan: CallPlan;
  /** This call's success statuses (by its invocation type); the definition's whole list by default. */
  successStatus?: ReadonlySet<number> | undefined;
  timeouts: TransportTimeouts;
  signal?: AbortSignal | undefined;
  /** Read for `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY`. */
  env: Readonly<Record<string, string | undefined>>;
  pool?: AgentPool | undefined;
  now: () => number;
  /** Told of every response's status and headers (error answers too) as they arrive. */
  onResponseHeaders?: ((statusCode: number, headers: IncomingHttpHeaders) => void) | undefined;
}

/** A response with one of the definition's success statuses, whose body is still streaming. */
export interface TransportResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: ResponseBody;
}

function timeoutError(kind: Exclude<DeadlineKind, 'idle'>, t: TransportTimeouts, host: string): TaskError {
  switch (kind) {
    case 'total':
      return new TransportError('TOTAL_TIMEOUT', `The call took longer than ${t.totalMs} ms in total`);
    case 'connect':
      return new TransportError('CONNECT_TIMEOUT', `No connection to ${host} within ${t.connectMs} ms`, {
        retryable: true,
      });
    case 'firstByte':
      return new TransportError(
        'FIRST_BYTE_TIMEOUT',
        `No response headers within ${t.firstByteMs} ms of sending the request`,
      );
  }
}

/**
 * Send one HTTP/1.1 request over the keep-alive pool and resolve at the response headers.
 * A status that is not a success for this call (a 204 answer to a call that asked for the function's
 * response, a 299) rejects with a `ServiceError`
 * (a bounded body excerpt is read). Timeouts and the `AbortSignal` destroy the socket at once and
 * reject (or fail the body) with a `TransportError` whose code names the timeout; every listener
 * and timer is removed when the call ends.
 * @example
 * const res = await sendRequest(wire, { plan, timeouts, env: process.env, now: Date.now })
 * for await (const bytes of res.body) process.stdout.write(bytes)
 */
export function sendRequest(request: WireRequest, options: SendOptions): Promise<TransportResponse> {
  const { signal, timeouts, plan } = options;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  const { options: httpOptions, send } = requestOptions(
    request,
    options.pool ?? defaultAgentPool,
    options.env,
  );

  return new Promise<TransportResponse>((resolve, reject) => {
    /** The promise is settled: later failures go to the body only. */
    let settled = false;
    /** The call is over (ended, failed or closed): timers and listeners are gone. */
    let finished = false;
    let response: IncomingMessage | undefined;
    let reader: BodyReader | undefined;

    const cleanup = (): void => {
      finished = true;
      deadlines.stop();
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: TaskError): void => {
      if (finished) return;
      cleanup();
      req.destroy();
      response?.destroy();
      reader?.fail(error);
      if (!settled) {
        settled = true;
        reject(error);
      }
    };
    const onAbort = (): void => fail(abortError(signal!));
    signal?.addEventListener('abort', onAbort, { once: true });

    const deadlines = new CallDeadlines(
      { total: timeouts.totalMs, connect: timeouts.connectMs },
      (kind: DeadlineKind): void => {
        if (kind !== 'idle') fail(timeoutError(kind, timeouts, request.origin.host));
        else if (reader?.waiting)
          fail(
            new TransportError(
              'IDLE_TIMEOUT',
              `No data for ${timeouts.idleMs} ms while reading the response`,
            ),
          );
      },
    );

    const req = send(httpOptions);
    req.on('socket', (socket: Socket) => {
      if (finished) return;
      const connected = (): void => deadlines.clear('connect');
      if (req.reusedSocket) connected();
      // A TLS socket (its `encrypted` is true) is connected once its handshake is done.
      else
        socket.once((socket as { encrypted?: boolean }).encrypted ? 'secureConnect' : 'connect', connected);
    });
    req.on('finish', () => {
      if (!finished && !response) deadlines.start('firstByte', timeouts.firstByteMs);
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
      const statusCode = res.statusCode ?? 0;
      options.onResponseHeaders?.(statusCode, res.headers);
      const body = new BodyReader(res, {
        waiting: () => deadlines.start('idle', timeouts.idleMs),
        close: () => {
          cleanup();
          req.destroy();
          res.destroy();
        },
      });
      reader = body;
      res.on('end', () => {
        cleanup();
        body.end();
      });
      res.on('error', (error) => fail(connectionError(error, 'while reading the response')));
      // After 'end' the call is finished and this is a no-op (checked first: building an error
      // captures a stack, which every successful call would pay for nothing).
      res.on('close', () => {
        if (finished) return;
        fail(connectionError(new Error('the connection closed before the response ended'), 'mid-response'));
      });

      const success = options.successStatus ?? plan.response.successStatus;
      if (success.has(statusCode)) {
        settled = true;
        resolve({ statusCode, headers: res.headers, body: body.body });
        return;
      }
      readBounded(body.body, MAX_ERROR_BODY_BYTES).then(
        (bytes) => {
          if (settled) return;
          settled = true;
          reject(
            toServiceError(statusCode, res.headers, bytes, {
              errors: plan.errors,
              requestIdHeaders: plan.response.headers.requestId,
              nowMs: options.now(),
              expectedStatus: success,
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
