/**
 * The entry of a function instance (a worker thread): the bootstrap of Lambda's Node runtime
 * (`index.mjs`, `Runtime.js`) over a message port. It installs the `awslambda` global and the
 * console, imports the function once (the init phase), then runs one invocation at a time. An
 * uncaught exception or unhandled rejection is logged, reported as the current invocation's error
 * and ends the instance with the runtime's exit status (129 and 128).
 */

import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { describeError, formatErrorForLog, UnhandledPromiseRejection } from './format-error.js';
import { installAwsLambdaGlobal } from './install-awslambda-global.js';
import { InstanceConsole } from './instance-console.js';
import type { FromInstance, InstanceData, ToInstance } from './instance-messages.js';
import { createLambdaContext } from './lambda-context.js';
import { type LoadedHandler, loadFunctionModule } from './load-function-module.js';
import { PortSink } from './port-sink.js';
import { runInvocation } from './run-invocation.js';

const port = parentPort;
if (!port) throw new Error('instance-main runs as a worker thread');
const data = workerData as InstanceData;
const post = (message: FromInstance): void => port.postMessage(message);
const log = new InstanceConsole((line) => post({ type: 'log', line }));

function crash(label: string, error: unknown, exitCode: number): void {
  log.console('ERROR', `${label} ${formatErrorForLog(error)}`);
  post({ type: 'crash', error: describeError(error), exitCode });
  process.exit(exitCode);
}
process.on('uncaughtException', (error) => crash('Uncaught Exception', error, 129));
process.on('unhandledRejection', (reason) =>
  crash('Unhandled Promise Rejection', new UnhandledPromiseRejection(reason), 128),
);

installAwsLambdaGlobal();
log.install();

/** What the instance's heap holds now (its thread's V8 heap and the memory it owns outside it). */
function heapUsedMb(): number {
  const heap = getHeapStatistics();
  return Math.ceil((heap.used_heap_size + heap.external_memory) / 1048576);
}

let current: { sink: PortSink; stop: AbortController } | undefined;
let loaded: LoadedHandler | undefined;

port.on('message', (message: ToInstance) => {
  if (message.type === 'ack') current?.sink.ack(message.bytes);
  else if (message.type === 'abort') {
    current?.sink.abort();
    current?.stop.abort();
  } else if (message.type === 'invoke' && loaded?.ok && !current) {
    const sink = new PortSink(port);
    const stop = new AbortController();
    current = { sink, stop };
    log.requestId = message.facts.requestId;
    process.env._X_AMZN_TRACE_ID = message.traceId;
    const context = createLambdaContext({ ...message.facts, now: Date.now });
    const run = runInvocation({
      handler: loaded.handler,
      event: message.event,
      context,
      sink,
      log,
      signal: stop.signal,
    });
    let handlerDone = false;
    void run.settled.then(() => {
      handlerDone = true;
    });
    void run.outcome.then(async (outcome) => {
      // A handler that returned by the time its answer is complete is free with it, in one message:
      // the emulator frees the instance before the caller sees the end, so a next call finds it idle.
      if (handlerDone) current = undefined;
      post({ type: 'done', outcome, heapUsedMb: heapUsedMb(), idle: handlerDone });
      if (handlerDone) return;
      await run.settled;
      current = undefined;
      post({ type: 'idle', heapUsedMb: heapUsedMb() });
    });
  }
});

// Loaded after the port listens: the listener keeps the thread alive as the runtime's API client
// keeps Lambda's process alive, so an import that never settles waits for the timeout instead of
// ending the thread.
loaded = await loadFunctionModule(data.file, data.functionName);
if (!loaded.ok) post({ type: 'init-error', errorType: loaded.errorType, message: loaded.message });
else post({ type: 'ready' });
