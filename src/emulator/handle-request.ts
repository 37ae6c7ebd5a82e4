/**
 * One request to the emulator, in the order the service checks it: route (the request line),
 * authenticate (headers first, then the body and its signature; nothing runs and no function is
 * looked up for an unauthenticated or oversized request), resolve the function and qualifier,
 * check the parameters, `DryRun`, injected throttles and server errors, the payload; then run the
 * function and respond, streamed (`InvokeWithResponseStream`) or buffered (`Invoke`).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticateRequest } from './authenticate-request.js';
import { respondBuffered } from './buffered-responder.js';
import type { EmulatorState } from './emulator-state.js';
import { parseEvent } from './parse-event.js';
import { parseInvokeParameters } from './parse-invoke-parameters.js';
import { discardRequestBody, MAX_REQUEST_BYTES } from './read-request-body.js';
import { isRefusal, type Refusal } from './refusal.js';
import { countedFault, requestFaults } from './request-faults.js';
import { resolveFunction } from './resolve-function.js';
import { routeRequest } from './route-request.js';
import { sendServiceError } from './service-errors.js';
import { respondStreaming } from './stream-responder.js';

export type { EmulatorState } from './emulator-state.js';

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
  const route = routeRequest(req);
  const faults = requestFaults(
    req,
    state.registry,
    state.faultsByFunction,
    route.functionName?.name,
    state.now,
  );
  const send = ({ refused }: Refusal): void => {
    sendServiceError(res, requestId, { ...refused, headers: { ...faults.extraHeaders, ...refused.headers } });
    discardRequestBody(req, MAX_REQUEST_BYTES);
  };

  const auth = await authenticateRequest(req, {
    lookupSecret: state.lookupSecret,
    now: new Date(state.now() + (faults.spec.clockSkewMs ?? 0)),
    operation: route.operation,
    rawUrl: route.rawUrl,
    budget: state.bodyBudget,
  });
  if (auth === 'aborted') return;
  if (isRefusal(auth)) return send(auth);
  const target = await resolveFunction(route, state.registry, auth.region, faults.headerError);
  if (isRefusal(target)) return send(target);
  const params = parseInvokeParameters(req, target.operation);
  if (isRefusal(params)) return send(params);
  if (params.invocationType === 'DryRun') {
    res.writeHead(204, { ...faults.extraHeaders, 'x-amzn-RequestId': requestId });
    res.end();
    return;
  }
  const counted = countedFault(state.counters, faults, target.entry.name);
  if (counted) return send(counted);
  const payload = parseEvent(auth.body);
  if (isRefusal(payload)) return send(payload);
  const instance = state.pool.acquire(target.entry, target.version, auth.region);
  if (isRefusal(instance)) return send(instance);

  const call = {
    requestId,
    entry: target.entry,
    version: target.version,
    qualifier: target.qualifier,
    region: auth.region,
    event: payload.event,
    params,
    faults: faults.spec,
    extraHeaders: faults.extraHeaders,
  };
  if (target.operation === 'Invoke') await respondBuffered(state, res, call, instance);
  else await respondStreaming(state, res, call, instance);
}
