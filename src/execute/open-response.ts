import type { IncomingHttpHeaders } from 'node:http';
import { isTaskError, type TaskError, TransportError } from '../errors.js';
import { type ResponseSummary, summarizeResponse } from '../output/response-summary.js';
import { requestTarget } from '../request/build-request.js';
import type { ClockOffsets } from '../signing/clock-skew.js';
import { signRequest } from '../signing/sign-request.js';
import type { AgentPool } from '../transport/agent-pool.js';
import { sendRequest, type TransportResponse } from '../transport/send-request.js';
import type { PreparedCall } from './prepare-call.js';
import { retryDelay, sleep } from './retry-delay.js';

/** A response whose body is still to be read, with what was learned at its headers. */
export interface OpenResponse {
  response: TransportResponse;
  summary: ResponseSummary;
  timeToFirstByteMs: number;
  attempt: number;
}

/** What the executor shares between its calls. */
export interface OpenDependencies {
  pool: AgentPool;
  clocks: ClockOffsets;
}

function plainHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = v;
  return out;
}

/** node:http throws plain errors for requests it cannot even write (an invalid header value): keep them in the family. */
function asTaskError(thrown: unknown): TaskError {
  if (isTaskError(thrown)) return thrown;
  const why = thrown instanceof Error ? thrown.message : String(thrown);
  // Not retryable: sending it again would fail the same way.
  return new TransportError('CONNECTION_FAILED', `The request could not be sent: ${why}`, {
    cause: thrown,
    retryable: false,
  });
}

/** Sign with the current credentials and the origin's clock offset. */
async function signed(call: PreparedCall, clocks: ClockOffsets): Promise<Record<string, string>> {
  const { request } = call;
  return signRequest(
    {
      method: request.method,
      protocol: request.origin.protocol,
      hostname: request.origin.hostname,
      port: request.origin.port ? Number(request.origin.port) : undefined,
      pathname: request.pathname,
      query: request.query,
      headers: request.headers,
      body: request.body,
    },
    {
      credentials: await call.credentials(),
      region: call.region,
      service: call.plan.signingName,
      signingDate: new Date(call.now() + clocks.get(request.origin.origin)),
    },
  );
}

/**
 * Sign and send, retrying throttling, transient and connection failures (and clock skew once, signed
 * again with the service's clock) until the response headers arrive. Nothing has gone downstream
 * yet, so a retry can never deliver output twice.
 * @example
 * const opened = await openResponse(call, { pool, clocks })
 */
export async function openResponse(call: PreparedCall, deps: OpenDependencies): Promise<OpenResponse> {
  const { request, settings, now, signal, observer, plan } = call;
  const origin = request.origin.origin;
  const target = requestTarget(request);
  let skewRetried = false;
  let retries = 0;
  for (let attempt = 1; ; attempt++) {
    const headers = await signed(call, deps.clocks);
    observer?.onRequest?.({
      attempt,
      method: request.method,
      url: `${origin}${target}`,
      headers,
      body: request.body,
    });
    let headersAt = 0;
    try {
      const response = await sendRequest(
        { method: request.method, origin: request.origin, target, headers, body: request.body },
        {
          plan,
          timeouts: settings.timeouts,
          signal,
          env: call.env,
          pool: deps.pool,
          now,
          onResponseHeaders: (statusCode, raw) => {
            headersAt = now();
            observer?.onResponse?.({
              attempt,
              statusCode,
              headers: plainHeaders(raw),
              elapsedMs: headersAt - call.startedAt,
            });
          },
        },
      );
      return {
        response,
        summary: summarizeResponse(response.statusCode, response.headers, plan.response.headers),
        timeToFirstByteMs: headersAt - call.startedAt,
        attempt,
      };
    } catch (thrown) {
      const error = asTaskError(thrown);
      const offset = error.details?.clockOffsetMs;
      if (error.code === 'CLOCK_SKEW' && typeof offset === 'number' && !skewRetried) {
        skewRetried = true;
        deps.clocks.set(origin, offset);
        call.logger.warn('Clock skew: signing again with the service clock', { offsetMs: offset });
        observer?.onRetry?.({ attempt, delayMs: 0, error });
        continue;
      }
      retries++;
      if (!error.retryable || retries >= settings.retry.maxAttempts) throw error;
      const retryAfter = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
      const delayMs = retryDelay(retries, settings.retry, call.random, retryAfter);
      if (delayMs === undefined) throw error;
      call.logger.info(`Retrying after ${error.code}`, { attempt, delayMs, code: error.code });
      observer?.onRetry?.({ attempt, delayMs, error });
      await sleep(
        delayMs,
        signal,
        () => new TransportError('ABORTED', 'The call was cancelled', { cause: signal?.reason }),
      );
    }
  }
}
