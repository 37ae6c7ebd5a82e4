/**
 * One request to the emulator, in the order the service checks it: authentication and size
 * first (nothing runs for an unauthenticated or oversized request), then the operation, the
 * function and qualifier, the parameters, `DryRun`, injected throttles and server errors, the
 * payload; then the handler runs and its output streams back.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EventStreamWriter } from './event-stream-writer.js';
import { FAULT_HEADER, type FaultCounters, type FaultSpec, parseFaultHeader } from './faults.js';
import type { FunctionEntry, FunctionRegistry } from './function-registry.js';
import { InvocationLog } from './invocation-log.js';
import { createLambdaContext, functionArn } from './lambda-context.js';
import { parseFunctionName, QUALIFIER_PATTERN } from './parse-function-name.js';
import {
  declaredTooLarge,
  discardRequestBody,
  MAX_REQUEST_BYTES,
  readRequestBody,
} from './read-request-body.js';
import { type InvocationOutcome, runInvocation } from './run-invocation.js';
import { sendServiceError } from './service-errors.js';
import { verifySignature } from './verify-signature.js';

const ROUTE = /^\/2021-11-15\/functions\/([^/?]+)\/response-streaming-invocations$/;
const EVENT_STREAM = 'application/vnd.amazon.eventstream';
/** Request bodies that cannot be a raw JSON payload (SDKs send `application/octet-stream` or nothing). */
const UNSUPPORTED_MEDIA = /^(multipart\/|application\/x-www-form-urlencoded)/i;
/** `X-Amz-Client-Context`: "up to 3,583 bytes of base64-encoded data", counted as base64 characters. */
const MAX_CLIENT_CONTEXT_CHARS = 3583;

/** What every request needs from the running emulator. */
export interface EmulatorState {
  registry: FunctionRegistry;
  lookupSecret: (accessKeyId: string) => string | undefined;
  faultsByFunction: Readonly<Record<string, FaultSpec>>;
  counters: FaultCounters;
  now: () => number;
  onLog: ((line: string) => void) | undefined;
  /** Invocations in flight, so `close()` can end them. */
  active: Set<{ abort(): void }>;
}

/** Serve one request; never throws (a failure becomes a 500 `ServiceException`). */
export async function handleRequest(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const requestId = randomUUID();
  try {
    await serve(state, req, res, requestId);
  } catch (error: unknown) {
    state.onLog?.(
      `emulator: request ${requestId} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    sendServiceError(res, requestId, {
      status: 500,
      type: 'ServiceException',
      message: 'Internal emulator error',
    });
  }
}

async function serve(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  const rawUrl = req.url ?? '/';
  const queryAt = rawUrl.indexOf('?');
  const rawPath = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? '' : rawUrl.slice(queryAt + 1));
  const route = req.method === 'POST' ? ROUTE.exec(rawPath) : null;
  const label = route?.[1] === undefined ? undefined : safeDecode(route[1]);
  const parsed = label === undefined ? undefined : parseFunctionName(label);

  // Faults are data (config files, options, a header): reading them runs no function code.
  const headerText = headerString(req, FAULT_HEADER);
  const headerFault = headerText === undefined ? undefined : parseFaultHeader(headerText);
  const known = parsed ? await state.registry.find(parsed.name) : undefined;
  const faults: FaultSpec = {
    ...known?.config.faults,
    ...(parsed ? state.faultsByFunction[parsed.name] : undefined),
    ...(headerFault && 'spec' in headerFault ? headerFault.spec : undefined),
  };
  const skew = faults.clockSkewMs ?? 0;
  const extraHeaders: Record<string, string> =
    skew === 0 ? {} : { Date: new Date(state.now() + skew).toUTCString() };
  const refuse = (
    status: number,
    type: string,
    message: string,
    more: Record<string, unknown> = {},
  ): void => {
    sendServiceError(res, requestId, { status, type, message, headers: extraHeaders, extra: more });
    discardRequestBody(req, MAX_REQUEST_BYTES);
  };

  if (headerString(req, 'authorization') === undefined) {
    refuse(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
    return;
  }
  const tooLarge = (): void =>
    refuse(
      413,
      'RequestTooLargeException',
      `Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the InvokeWithResponseStream operation`,
    );
  if (declaredTooLarge(req, MAX_REQUEST_BYTES)) {
    tooLarge();
    return;
  }
  const read = await readRequestBody(req, MAX_REQUEST_BYTES);
  if (!read.ok) {
    if (read.reason === 'too-large') tooLarge();
    return;
  }
  const body = read.body;

  const verdict = verifySignature(
    { method: req.method ?? 'GET', rawUrl, headers: req.headers, body },
    { lookupSecret: state.lookupSecret, now: new Date(state.now() + skew) },
  );
  if (!verdict.ok) {
    refuse(verdict.status, verdict.errorType, verdict.message);
    return;
  }
  const region = verdict.region;

  if (!route) {
    refuse(404, 'UnknownOperationException', `Unknown operation ${req.method ?? ''} ${rawPath}`);
    return;
  }
  if (headerFault && 'error' in headerFault) {
    refuse(400, 'InvalidParameterValueException', headerFault.error);
    return;
  }
  if (!parsed) {
    refuse(
      400,
      'InvalidParameterValueException',
      "1 validation error detected: Value at 'functionName' failed to satisfy constraint: Member must satisfy the function name or ARN pattern",
    );
    return;
  }
  const queryQualifier = query.get('Qualifier') ?? undefined;
  if (queryQualifier !== undefined && !QUALIFIER_PATTERN.test(queryQualifier)) {
    refuse(400, 'InvalidParameterValueException', `Invalid Qualifier: ${queryQualifier.slice(0, 128)}`);
    return;
  }
  if (parsed.qualifier !== undefined && queryQualifier !== undefined && parsed.qualifier !== queryQualifier) {
    refuse(
      400,
      'InvalidParameterValueException',
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
    return;
  }
  const qualifier = queryQualifier ?? parsed.qualifier;
  const notFound = (): void =>
    refuse(
      404,
      'ResourceNotFoundException',
      `Function not found: ${functionArn(region, parsed.name, qualifier)}`,
    );
  if (!known) {
    notFound();
    return;
  }
  const version = state.registry.resolveQualifier(known, qualifier);
  if (version === undefined) {
    notFound();
    return;
  }

  const contentType = headerString(req, 'content-type');
  if (contentType !== undefined && UNSUPPORTED_MEDIA.test(contentType.trim())) {
    refuse(415, 'UnsupportedMediaTypeException', `Unsupported content type: ${contentType.slice(0, 100)}`);
    return;
  }
  const invocationType = headerString(req, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (invocationType !== 'RequestResponse' && invocationType !== 'DryRun') {
    refuse(
      400,
      'InvalidParameterValueException',
      `Unsupported InvocationType ${invocationType.slice(0, 64)}: InvokeWithResponseStream takes RequestResponse or DryRun`,
    );
    return;
  }
  const logType = headerString(req, 'x-amz-log-type') ?? 'None';
  if (logType !== 'None' && logType !== 'Tail') {
    refuse(
      400,
      'InvalidParameterValueException',
      `Unsupported LogType ${logType.slice(0, 64)}: use None or Tail`,
    );
    return;
  }
  const rawClientContext = headerString(req, 'x-amz-client-context');
  if (rawClientContext !== undefined && rawClientContext.length > MAX_CLIENT_CONTEXT_CHARS) {
    refuse(
      400,
      'InvalidRequestContentException',
      `Client context must be at most ${MAX_CLIENT_CONTEXT_CHARS.toLocaleString('en-US')} characters of Base64 (got ${rawClientContext.length.toLocaleString('en-US')}).`,
    );
    return;
  }
  const clientContext = decodeClientContext(rawClientContext);
  if (clientContext === INVALID) {
    refuse(
      400,
      'InvalidRequestContentException',
      'Client context must be a valid Base64-encoded JSON object.',
    );
    return;
  }
  if (invocationType === 'DryRun') {
    res.writeHead(204, { ...extraHeaders, 'x-amzn-RequestId': requestId });
    res.end();
    return;
  }

  const counted = state.counters.next(
    faults,
    faults.key ?? (headerText ? `header:${headerText}` : `function:${known.name}`),
  );
  if (counted?.kind === 'throttle') {
    sendServiceError(res, requestId, {
      status: 429,
      type: 'TooManyRequestsException',
      message: 'Rate Exceeded.',
      extra: { Reason: counted.reason },
      headers: { ...extraHeaders, 'Retry-After': String(counted.retryAfterSeconds) },
    });
    return;
  }
  if (counted?.kind === 'serverError') {
    refuse(counted.status, counted.type, 'An internal error occurred (injected by the emulator).');
    return;
  }

  let event: unknown = {};
  if (body.length > 0) {
    try {
      event = JSON.parse(body.toString('utf8'));
    } catch (error: unknown) {
      refuse(
        400,
        'InvalidRequestContentException',
        `Could not parse request body into json: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
  }

  await invoke(state, res, {
    requestId,
    entry: known,
    version,
    qualifier,
    region,
    event,
    clientContext,
    tail: logType === 'Tail',
    faults,
    extraHeaders,
  });
}

interface Invocation {
  requestId: string;
  entry: FunctionEntry;
  version: string;
  qualifier: string | undefined;
  region: string;
  event: unknown;
  clientContext: unknown;
  tail: boolean;
  faults: FaultSpec;
  extraHeaders: Record<string, string>;
}

async function invoke(state: EmulatorState, res: ServerResponse, call: Invocation): Promise<void> {
  const { requestId, entry } = call;
  const writer = new EventStreamWriter(res, call.faults, (contentType) => {
    res.writeHead(200, {
      ...call.extraHeaders,
      'Content-Type': contentType ?? EVENT_STREAM,
      'X-Amz-Executed-Version': call.version,
      'x-amzn-RequestId': requestId,
    });
  });
  const stop = new AbortController();
  const tracked = {
    abort: (): void => {
      stop.abort();
      writer.abort();
    },
  };
  state.active.add(tracked);
  res.once('close', () => {
    if (!res.writableFinished) stop.abort();
  });

  const log = new InvocationLog(requestId, Date.now, state.onLog);
  const started = performance.now();
  log.raw(`START RequestId: ${requestId} Version: ${call.version}`);
  let outcome: InvocationOutcome;
  const loaded = await state.registry.handler(entry);
  if (!loaded.ok) {
    log.console('ERROR', `${loaded.errorType}: ${loaded.message}`);
    outcome = { kind: 'error', errorType: loaded.errorType, errorMessage: loaded.message };
  } else {
    const context = createLambdaContext({
      requestId,
      functionName: entry.name,
      version: call.version,
      qualifier: call.qualifier,
      region: call.region,
      memoryMb: entry.config.memorySize,
      deadline: Date.now() + entry.config.timeout * 1000,
      clientContext: call.clientContext,
      now: Date.now,
    });
    outcome = await runInvocation({
      handler: loaded.handler,
      event: call.event,
      context,
      sink: { start: (type) => writer.start(type), writeChunk: (bytes) => writer.writeChunk(bytes) },
      log,
      timeoutSeconds: entry.config.timeout,
      signal: stop.signal,
    });
  }
  const ms = performance.now() - started;
  log.raw(`END RequestId: ${requestId}`);
  log.raw(
    `REPORT RequestId: ${requestId}\tDuration: ${ms.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(ms))} ms\tMemory Size: ${entry.config.memorySize} MB\tMax Memory Used: ${Math.ceil(process.memoryUsage().rss / 1048576)} MB${outcome.kind === 'timeout' ? '\tStatus: timeout' : ''}`,
  );
  if (outcome.kind !== 'aborted') {
    const fields: { ErrorCode?: string; ErrorDetails?: string; LogResult?: string } = {};
    if (outcome.kind !== 'success') {
      fields.ErrorCode = outcome.errorType;
      fields.ErrorDetails = outcome.errorMessage;
    }
    if (call.tail) fields.LogResult = log.tailBase64();
    await writer.complete(fields);
  }
  state.active.delete(tracked);
}

const INVALID = Symbol('invalid');

/** `X-Amz-Client-Context`: base64 of a JSON object (its length is checked before). */
function decodeClientContext(value: string | undefined): unknown {
  if (value === undefined || value === '') return undefined;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return INVALID;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : INVALID;
  } catch {
    return INVALID;
  }
}

function headerString(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : value;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
