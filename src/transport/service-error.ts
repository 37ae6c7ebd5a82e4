import type { IncomingHttpHeaders } from 'node:http';
import { ServiceError } from '../errors.js';
import type { RetryClass } from '../request/error-retry-classifier.js';
import { skewOffset } from '../signing/clock-skew.js';

/** How much of an error body is read; the rest is dropped with the connection. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** `x-amzn-ErrorType` or body `code`/`__type`, reduced to the bare name as the SDKs do. */
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
  requestIdHeaders: readonly string[];
  /** Retry class of a named error, from the definition's errors table. */
  classify: (awsErrorType: string | undefined) => RetryClass | undefined;
  nowMs: number;
}

/**
 * Map an HTTP error answer to a {@link ServiceError}: the AWS error type and message, the
 * request id, `Retry-After`, and `retryable` for throttling and transient classes.
 * `THROTTLED` for 429 and throttling errors, `CLOCK_SKEW` when the answer says our clock is off.
 * @example
 * toServiceError(429, headers, bodyBytes, { requestIdHeaders: ['x-amzn-requestid'], classify: () => undefined, nowMs: Date.now() })
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
  const awsErrorType = sanitizeErrorType(
    header(headers, 'x-amzn-errortype') ?? (typeof bodyCode === 'string' ? bodyCode : undefined),
  );
  const rawMessage =
    parsed.message ?? parsed.Message ?? (Object.keys(parsed).length === 0 ? text : undefined);
  const awsMessage =
    typeof rawMessage === 'string' && rawMessage !== '' ? rawMessage.slice(0, 2048) : undefined;
  let requestId: string | undefined;
  for (const name of context.requestIdHeaders) {
    requestId = header(headers, name);
    if (requestId) break;
  }
  const retryAfterSeconds = parseRetryAfter(header(headers, 'retry-after'), context.nowMs);
  const serverDate = header(headers, 'date');
  const retryClass = context.classify(awsErrorType);
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
      ...(skew === undefined ? {} : { details: { clockOffsetMs: skew } }),
    },
  );
}
