/**
 * Runs one invocation between its platform log lines (START, END, REPORT) and reports how it
 * ended; the response it writes goes to the sink of the respond step (streamed or buffered).
 */
import type { ServerResponse } from 'node:http';
import type { EmulatorState } from './emulator-state.js';
import type { Invocation } from './invocation.js';
import { InvocationLog } from './invocation-log.js';
import { createLambdaContext } from './lambda-context.js';
import type { ResponseSink } from './response-stream.js';
import { type InvocationOutcome, runInvocation } from './run-invocation.js';

/** A sink that can also be cut (the emulator is closing). */
export interface InvocationSink extends ResponseSink {
  abort(): void;
}

/** How the invocation ended, and its log tail (base64) when the caller asked for `Tail`. */
export interface RunResult {
  outcome: InvocationOutcome;
  logResult: string | undefined;
}

/**
 * Run the invocation; never rejects.
 * @example
 * const { outcome, logResult } = await runFunction(state, call, sink, res);
 */
export async function runFunction(
  state: EmulatorState,
  call: Invocation,
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
      clientContext: call.params.clientContext,
      now: Date.now,
    });
    outcome = await runInvocation({
      handler: loaded.handler,
      event: call.event,
      context,
      sink,
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
  state.active.delete(tracked);
  return { outcome, logResult: call.params.tail ? log.tailBase64() : undefined };
}
