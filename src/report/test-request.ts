/**
 * Test request: run the configured call once and describe it for a person (and a designer UI).
 * The one-shot form is the live form drained: both build the same report (test-report-builder.ts).
 */
import type { ExecuteContext } from '../execute/types.js';
import { type TestRequestOptions, testRequestLive } from './live-test-request.js';
import type { TestReport } from './test-report.js';

export type { TestRequestOptions } from './live-test-request.js';
export { testRequestLive } from './live-test-request.js';

/**
 * Run the call described by `input` once and report on it: validation issues (nothing sent), or the
 * request as sent (secrets redacted, plus an equivalent `curl --aws-sigv4` command), the response and
 * each event with its arrival time, the output preview, the tail log, and for a failure a hint on the
 * likely fix. `X-Amz-Invocation-Type: DryRun` checks parameters and permission without running.
 * Never throws for a failed call: the failure is in the report.
 * @example
 * const report = await testRequest({ path: { FunctionName: 'echo' }, body: { Payload: { hi: 1 } } }, { credentials })
 * console.log(report.summary)
 */
export async function testRequest(
  input: unknown,
  context: ExecuteContext = {},
  options: TestRequestOptions = {},
): Promise<TestReport> {
  for await (const event of testRequestLive(input, context, options)) {
    if (event.type === 'report') return event.report;
  }
  // testRequestLive always ends with its report; reaching here is a bug in it.
  throw new Error('Test request ended without its report');
}
