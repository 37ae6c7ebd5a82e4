/**
 * Runs one invocation on its instance between the platform's log lines (START, END, REPORT with
 * `Init Duration` on a cold start) and reports how it ended; the response goes to the sink of the
 * respond step (streamed or buffered).
 */
import type { ServerResponse } from 'node:http';
import type { EmulatorState } from './emulator-state.js';
import type { FunctionInstance } from './function-instance.js';
import type { Invocation } from './invocation.js';
import { InvocationLog } from './invocation-log.js';
import type { InvocationOutcome } from './invocation-outcome.js';
import type { InvocationSink } from './invocation-sink.js';

/** A sink that can also be cut (the emulator is closing). */

/** How the invocation ended, and its log tail (base64) when the caller asked for `Tail`. */
export type { InvocationSink } from './invocation-sink.js';

export interface RunResult {
  outcome: InvocationOutcome;
  logResult: string | undefined;
}

/**
 * Run the invocation; never rejects.
 * @example
 * const { outcome, logResult } = await runFunction(state, call, instance, sink, res);
 */
export async function runFunction(
  state: EmulatorState,
  call: Invocation,
  instance: FunctionInstance,
  sink: InvocationSink,
  res: ServerResponse,
): Promise<RunResult> {
  const { requestId, entry } = call;
  const stop = new AbortController();
  const tracked = {
    abort: (): void => {
      stop.abort();
      sink.abort();
    },
  };
  state.active.add(tracked);
  res.once('close', () => {
    if (!res.writableFinished) stop.abort();
  });

  const log = new InvocationLog(requestId, Date.now, state.onLog);
  const started = performance.now();
  log.raw(`START RequestId: ${requestId} Version: ${call.version}`);
  const run = await instance.invoke({
    event: call.event,
    facts: {
      requestId,
      functionName: entry.name,
      version: call.version,
      qualifier: call.qualifier,
      region: call.region,
      clientContext: call.params.clientContext,
      tenantId: call.params.tenantId,
    },
    traceId: call.params.traceId,
    sink,
    log,
    timeoutSeconds: entry.config.timeout,
    signal: stop.signal,
  });
  const ms = performance.now() - started - (run.initMs ?? 0);
  const fields = [
    `REPORT RequestId: ${requestId}`,
    `Duration: ${ms.toFixed(2)} ms`,
    `Billed Duration: ${Math.max(1, Math.ceil(ms))} ms`,
    `Memory Size: ${entry.config.memorySize} MB`,
    `Max Memory Used: ${Math.max(1, run.memoryUsedMb)} MB`,
  ];
  if (run.initMs !== undefined) fields.push(`Init Duration: ${run.initMs.toFixed(2)} ms`);
  if (run.outcome.kind === 'timeout') fields.push('Status: timeout');
  else if (run.reportStatus !== undefined) fields.push(run.reportStatus);
  log.raw(`END RequestId: ${requestId}`);
  log.raw(fields.join('\t'));
  state.active.delete(tracked);
  return { outcome: run.outcome, logResult: call.params.tail ? log.tailBase64() : undefined };
}
