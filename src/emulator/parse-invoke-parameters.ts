/**
 * The invoke parameters carried in headers, checked as the service checks them (the content type,
 * `X-Amz-Invocation-Type`, `X-Amz-Log-Type`, `X-Amz-Client-Context`, `X-Amz-Tenant-Id`), and
 * the trace header a caller may send. The JSON payload is parsed later, once faults had their turn.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type Refusal, refuse } from './refusal.js';
import { headerString } from './request-headers.js';
import type { Operation } from './route-request.js';

/** What the headers ask for. */
export interface InvokeParameters {
  invocationType: 'RequestResponse' | 'DryRun' | 'Event';
  tail: boolean;
  clientContext: unknown;
  tenantId: string | undefined;
  /** `X-Amzn-Trace-Id` as sent, or a new root (`_X_AMZN_TRACE_ID` of the invocation). */
  traceId: string;
}

/** Request bodies that cannot be a raw JSON payload (SDKs send `application/octet-stream` or nothing). */
const UNSUPPORTED_MEDIA = /^(multipart\/|application\/x-www-form-urlencoded)/i;
const MAX_CLIENT_CONTEXT_BYTES = 3583;
const TENANT_ID = /^[a-zA-Z0-9._:/=+\-@ ]{1,256}$/;
const TRACE_ID = /^[\x20-\x7e]{1,256}$/;
const INVALID = Symbol('invalid');

/**
 * Check the parameters of an invoke request.
 * @example
 * const params = parseInvokeParameters(req, 'Invoke');
 */
export function parseInvokeParameters(
  req: IncomingMessage,
  operation: Operation,
): InvokeParameters | Refusal {
  const contentType = headerString(req, 'content-type');
  if (contentType !== undefined && UNSUPPORTED_MEDIA.test(contentType.trim())) {
    return refuse(
      415,
      'UnsupportedMediaTypeException',
      `Unsupported content type: ${contentType.slice(0, 100)}`,
    );
  }
  const invocationType = headerString(req, 'x-amz-invocation-type') ?? 'RequestResponse';
  const allowed =
    operation === 'Invoke' ? ['RequestResponse', 'DryRun', 'Event'] : ['RequestResponse', 'DryRun'];
  if (!allowed.includes(invocationType)) {
    return refuse(
      400,
      'InvalidParameterValueException',
      `Unsupported InvocationType ${invocationType.slice(0, 64)}: ${operation} takes ${allowed.join(', ')}`,
    );
  }
  const logType = headerString(req, 'x-amz-log-type') ?? 'None';
  if (logType !== 'None' && logType !== 'Tail') {
    return refuse(
      400,
      'InvalidParameterValueException',
      `Unsupported LogType ${logType.slice(0, 64)}: use None or Tail`,
    );
  }
  const clientContext = decodeClientContext(headerString(req, 'x-amz-client-context'));
  if (clientContext === INVALID) {
    return refuse(
      400,
      'InvalidRequestContentException',
      'Client context must be a valid Base64-encoded JSON object.',
    );
  }
  const tenantId = headerString(req, 'x-amz-tenant-id');
  if (tenantId !== undefined && !TENANT_ID.test(tenantId)) {
    return refuse(
      400,
      'InvalidParameterValueException',
      "1 validation error detected: Value at 'tenantId' failed to satisfy constraint: Member must have length between 1 and 256 and satisfy the tenant id pattern",
    );
  }
  const sentTrace = headerString(req, 'x-amzn-trace-id');
  return {
    invocationType: invocationType as InvokeParameters['invocationType'],
    tail: logType === 'Tail',
    clientContext,
    tenantId,
    traceId: sentTrace !== undefined && TRACE_ID.test(sentTrace) ? sentTrace : newTraceId(),
  };
}

/** `X-Amz-Client-Context`: base64 of a JSON object, at most 3,583 bytes as sent. */
function decodeClientContext(value: string | undefined): unknown {
  if (value === undefined || value === '') return undefined;
  if (value.length > MAX_CLIENT_CONTEXT_BYTES || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return INVALID;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : INVALID;
  } catch {
    return INVALID;
  }
}

/** An X-Ray trace header with a new root: `Root=1-{epoch hex}-{96 random bits};Parent=…;Sampled=0`. */
function newTraceId(): string {
  const epoch = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, '0');
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}
