/**
 * The public entry points that a host calling only `invoke`/`invokeStream` never needs: the emulator
 * (an HTTP server, function loading, esbuild), the workflow runner and Test request (report rendering).
 * `src/index.ts` exports these wrappers under the same names and signatures; each loads its module on
 * first call, so importing the package does not load ~30 modules a plain invocation never runs.
 */

import type { EmulatorHandle, EmulatorOptions } from './emulator/start-emulator.js';
import type { ExecuteContext } from './execute.js';
import type { TestReport, TestRequestOptions } from './test-request.js';
import type { RunWorkflowOptions, WorkflowResult } from './workflow/run-workflow.js';

/**
 * Start the local Lambda streaming emulator (loaded on first call).
 * @example
 * const emulator = await startEmulator({ functionsDir: './functions' });
 * const client = new LambdaClient({ endpoint: emulator.url, region: 'us-east-1',
 *   credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
 * // … InvokeWithResponseStreamCommand …
 * await emulator.close();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const emulator = await import('./emulator/start-emulator.js');
  return emulator.startEmulator(options);
}

/**
 * Run a workflow definition with `input` as `$.workflow.input` (the runner is loaded on first call).
 *
 * Definition errors reject with `WORKFLOW_INVALID` before anything runs; a failing step rejects with
 * `WORKFLOW_STEP_FAILED`, `task` set to the step and the step's error as `cause`.
 * @example
 * const result = await runWorkflow(JSON.parse(text), { prompt: 'hi' }, { baseDir: 'examples', context: { credentials } })
 * console.log(result.output)
 */
export async function runWorkflow(
  definition: unknown,
  input: unknown,
  options: RunWorkflowOptions = {},
): Promise<WorkflowResult> {
  const runner = await import('./workflow/run-workflow.js');
  return runner.runWorkflow(definition, input, options);
}

/**
 * Run the call described by `input` once and report on it: validation issues (nothing sent), or the
 * request as sent (secrets redacted, plus an equivalent `curl --aws-sigv4` command), the response and
 * each event with its arrival time, the output preview, the tail log, and for a failure a hint on the
 * likely fix. Never throws for a failed call: the failure is in the report. Loaded on first call.
 * @example
 * const report = await testRequest({ path: { FunctionName: 'echo' }, body: { Payload: { hi: 1 } } }, { credentials })
 * console.log(report.summary)
 */
export async function testRequest(
  input: unknown,
  context: ExecuteContext = {},
  options: TestRequestOptions = {},
): Promise<TestReport> {
  const report = await import('./test-request.js');
  return report.testRequest(input, context, options);
}
