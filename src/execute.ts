/**
 * The executor's entry: the module-level calls on a shared default executor. The stages live in
 * `src/execute/` (prepare, open with retries, payload batches, aggregate or stream).
 */
import { createExecutor } from './execute/create-executor.js';
import type { ExecuteContext, ExecuteOutput } from './execute/types.js';
import type { AggregatedResult } from './generated/output-aggregated.js';
import type { OutputEvent } from './generated/output-event.js';

export { createExecutor } from './execute/create-executor.js';

/** The executor of the module-level calls (the packaged definition, the process-wide pool). */
export const defaultExecutor = createExecutor();

/**
 * Run the task: aggregated result or chunked events, as the output-mode setting says.
 * Input errors reject before anything is sent.
 * @example
 * const out = await execute({ path: { FunctionName: 'fn' }, settings: { region: 'us-east-1' } })
 * if (out.mode === 'aggregated') console.log(out.result.payload)
 */
export function execute(input: unknown, context?: ExecuteContext): Promise<ExecuteOutput> {
  return defaultExecutor.execute(input, context);
}

/**
 * Invoke and aggregate: resolves to one result when the response completes (whatever the output mode
 * says). A function error is `functionError` in the result, not an exception.
 * @example
 * const result = await invoke({ path: { FunctionName: 'fn' }, body: { Payload: { q: 1 } } }, { signal })
 */
export function invoke(input: unknown, context?: ExecuteContext): Promise<AggregatedResult> {
  return defaultExecutor.invoke(input, context);
}

/**
 * Invoke and stream: `start` at the response headers, `chunk`… as they arrive, then `complete`
 * or `error`. Pull-driven: the socket is read only as fast as the loop runs; `break` closes it.
 * @example
 * for await (const event of invokeStream(input, { signal })) if (event.type === 'chunk') process.stdout.write(event.data)
 */
export function invokeStream(input: unknown, context?: ExecuteContext): AsyncIterable<OutputEvent> {
  return defaultExecutor.invokeStream(input, context);
}
