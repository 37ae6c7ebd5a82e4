/**
 * Test request: run the configured call once and describe it for a person (and a designer UI).
 * The one-shot form is the live form drained: both build the same report (src/report/).
 */
import type { ExecuteContext } from './execute.js';
import { type TestRequestOptions, testRequestLive } from './report/live-test-request.js';
import type { TestReport } from './report/test-report.js';

export type {
  LiveChunkEvent,
  LiveCompleteEvent,
  LiveErrorEvent,
  LivePreludeEvent,
  LiveReportEvent,
  LiveRequestEvent,
  LiveResponseEvent,
  LiveRetryEvent,
  LiveTestEvent,
} from './report/live-test-event.js';
export type { TestRequestOptions } from './report/live-test-request.js';
export { testRequestLive } from './report/live-test-request.js';
export type {
  Preview,
  TestOutcome,
  TestReport,
  TestReportError,
  TestReportEvent,
  TestReportLimits,
  TestReportOutput,
  TestReportRequest,
  TestReportResponse,
} from './report/test-report.js';

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
