/**
 * Test request is loaded on first call: a host that only invokes never loads report building.
 */
import type { ExecuteContext } from './execute/types.js';
import type { LiveTestEvent } from './report/live-test-event.js';
import type { TestReport } from './report/test-report.js';
import type { TestRequestOptions } from './report/test-request.js';

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
  const report = await import('./report/test-request.js');
  return report.testRequest(input, context, options);
}

/**
 * Test request, live: `request`, `response` (at the headers), `prelude`, one `chunk` per chunk as it
 * arrives, then `complete` or `error` (with its hint), and last always `report`. Never throws;
 * aborting `context.signal` (or leaving the loop) closes the request. Loaded on first call.
 * @example
 * for await (const event of testRequestLive({ path: { FunctionName: 'tokens' } }, { signal })) {
 *   if (event.type === 'chunk') console.log(`${event.elapsedMs} ms`, event.preview.text ?? event.preview.hex)
 * }
 */
export async function* testRequestLive(
  input: unknown,
  context: ExecuteContext = {},
  options: TestRequestOptions = {},
): AsyncGenerator<LiveTestEvent, void, undefined> {
  const live = await import('./report/test-request.js');
  yield* live.testRequestLive(input, context, options);
}
