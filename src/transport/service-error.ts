import type { IncomingHttpHeaders } from 'node:http';
import type { PlanErrors } from '../definition/call-plan.js';
import { ServiceError } from '../errors.js';
import { skewOffset } from '../signing/clock-skew.js';

/** How much of an error body is read; the rest is dropped with the connection. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** The error type header or the body's `code`/`__type` (rest-json), reduced to the bare name as the SDKs do. */
export function sanitizeErrorType(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let name = raw.split(',')[0]!.split(':')[0]!.trim();
  if (name.includes('#')) name = name.slice(name.lastIndexOf('#') + 1);
  return name === '' ? undefined : name;
}

/** `Retry-After` as seconds (delta-seconds or an HTTP date). */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - nowMs) / 1000);
}

export interface ServiceErrorContext {
  /** How the definition's service reports errors: type header, message keys, Retry-After, modeled errors. */
  errors: PlanErrors;
  requestIdHeaders: readonly string[];
  nowMs: number;
}

/** The message: the modeled error's own key first, then the definition's keys in order; else a non-JSON body. */
function messageOf(
  parsed: Record<string, unknown>,
  text: string,
  errors: PlanErrors,
  awsErrorType: string | undefined,
): string | undefined {
  const own = awsErrorType === undefined ? undefined : errors.modeled.get(awsErrorType)?.messageKey;
  let raw: unknown;
  for (const key of own === undefined ? errors.messageKeys : [own, ...errors.messageKeys]) {
    raw = parsed[key];
    if (raw !== undefined) break;
  }
  if (raw === undefined && Object.keys(parsed).length === 0) raw = text;
  return typeof raw === 'string' && raw !== '' ? raw.slice(0, 2048) : undefined;
}

/**
 * Map an HTTP error answer to a {@link ServiceError} by the definition's errors table: the error
 * type (its header, else the body), the message (by the definition's keys), the request id,
 * Retry-After, the modeled error's fault in `details.fault`, and `retryable` for throttling and
 * transient classes. `THROTTLED` for 429 and throttling errors, `CLOCK_SKEW` when the answer says
 * our clock is off.
 * @example
 * toServiceError(429, headers, bodyBytes, { errors: plan.errors, requestIdHeaders: plan.response.headers.requestId, nowMs: Date.now() })
 */
export function toServiceError(
  statusCode: number,
  headers: IncomingHttpHeaders,
  body: Uint8Array,
  context: ServiceErrorContext,
): ServiceError {
  let parsed: Record<string, unknown> = {};
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      parsed = value as Record<string, unknown>;
  } catch {
    // Not JSON: the type comes from the header alone and the text is the message.
  }
  const bodyCode = Object.entries(parsed).find(([k]) => k.toLowerCase() === 'code')?.[1] ?? parsed.__type;
  const { errors } = context;
  const awsErrorType = sanitizeErrorType(
    header(headers, errors.typeHeader) ?? (typeof bodyCode === 'string' ? bodyCode : undefined),
  );
  const awsMessage = messageOf(parsed, text, errors, awsErrorType);
  let requestId: string | undefined;
  for (const name of context.requestIdHeaders) {
    requestId = header(headers, name);
    if (requestId) break;
  }
  const retryAfterSeconds =
    errors.retryAfterHeader === undefined
      ? undefined
      : parseRetryAfter(header(headers, errors.retryAfterHeader), context.nowMs);
  const serverDate = header(headers, 'date');
  const retryClass = errors.retryClassOf(awsErrorType);
  const fault = awsErrorType === undefined ? undefined : errors.modeled.get(awsErrorType)?.fault;
  const throttled = statusCode === 429 || retryClass === 'throttling';
  const transient = retryClass === 'transient' || TRANSIENT_STATUSES.has(statusCode);
  const skew = skewOffset({ statusCode, awsErrorType, awsMessage, serverDate }, context.nowMs);
  const code = skew !== undefined ? 'CLOCK_SKEW' : throttled ? 'THROTTLED' : 'SERVICE_ERROR';
  const what = awsErrorType ?? `HTTP ${statusCode}`;
  const message = `The service answered ${statusCode} ${what}${awsMessage ? `: ${awsMessage}` : ''}${
    requestId ? ` (request id ${requestId})` : ''
  }`;
  return new ServiceError(
    code,
    message,
    {
      statusCode,
      ...(awsErrorType === undefined ? {} : { awsErrorType }),
      ...(awsMessage === undefined ? {} : { awsMessage }),
      ...(requestId === undefined ? {} : { requestId }),
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    },
    {
      retryable: throttled || transient,
      ...(skew === undefined && fault === undefined
        ? {}
        : {
            details: {
              ...(skew === undefined ? {} : { clockOffsetMs: skew }),
              ...(fault === undefined ? {} : { fault }),
            },
          }),
    },
  );
}
