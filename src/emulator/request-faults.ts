/**
 * The faults that apply to one request: the function's config file, then the emulator options,
 * then the request's `x-emulator-fault` header. They are data, read before authentication only
 * because a clock-skew fault changes how the signature's date is checked; nothing here reads the
 * functions folder again or runs function code.
 */
import type { IncomingMessage } from 'node:http';
import { FAULT_HEADER, type FaultCounters, type FaultSpec, parseFaultHeader } from './faults.js';
import type { FunctionRegistry } from './function-registry.js';
import { type Refusal, refuse } from './refusal.js';
import { headerString } from './request-headers.js';

/** What the faults of a request come to. */
export interface RequestFaults {
  spec: FaultSpec;
  /** The header's text, the default counter key of its counted faults. */
  headerText: string | undefined;
  /** Why the header is invalid, if it is (answered once the caller is authenticated). */
  headerError: string | undefined;
  /** Headers every answer carries (a skewed `Date`). */
  extraHeaders: Record<string, string>;
}

/**
 * Merge the faults of a request.
 * @example
 * const faults = requestFaults(req, registry, { echo: { throttle: 1 } }, 'echo', Date.now);
 */
export function requestFaults(
  req: IncomingMessage,
  registry: FunctionRegistry,
  byFunction: Readonly<Record<string, FaultSpec>>,
  functionName: string | undefined,
  now: () => number,
): RequestFaults {
  const headerText = headerString(req, FAULT_HEADER);
  const header = headerText === undefined ? undefined : parseFaultHeader(headerText);
  const known = functionName === undefined ? undefined : registry.peek(functionName);
  const spec: FaultSpec = {
    ...known?.config.faults,
    ...(functionName === undefined || !Object.hasOwn(byFunction, functionName)
      ? undefined
      : byFunction[functionName]),
    ...(header && 'spec' in header ? header.spec : undefined),
  };
  const skew = spec.clockSkewMs ?? 0;
  return {
    spec,
    headerText,
    headerError: header && 'error' in header ? header.error : undefined,
    extraHeaders: skew === 0 ? {} : { Date: new Date(now() + skew).toUTCString() },
  };
}

/**
 * The counted fault (throttle or server error) this request gets, as a refusal, if any.
 * @example
 * const refusal = countedFault(counters, faults, 'echo');
 */
export function countedFault(
  counters: FaultCounters,
  faults: RequestFaults,
  functionName: string,
): Refusal | undefined {
  const key =
    faults.spec.key ?? (faults.headerText ? `header:${faults.headerText}` : `function:${functionName}`);
  const counted = counters.next(faults.spec, key);
  if (counted?.kind === 'throttle') {
    return refuse(
      429,
      'TooManyRequestsException',
      'Rate Exceeded.',
      { Reason: counted.reason },
      { 'Retry-After': String(counted.retryAfterSeconds) },
    );
  }
  if (counted?.kind === 'serverError') {
    return refuse(counted.status, counted.type, 'An internal error occurred (injected by the emulator).');
  }
  return undefined;
}
