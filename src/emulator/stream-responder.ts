/**
 * `InvokeWithResponseStream`'s answer: the headers when the handler first writes (with the content
 * type it declared), every write as a `PayloadChunk` as it comes, then `InvokeComplete` carrying the
 * function error and the log tail.
 */
import type { ServerResponse } from 'node:http';
import type { EmulatorState } from './emulator-state.js';
import type { InvokeCompleteFields } from './encode-invoke-complete.js';
import { EventStreamWriter } from './event-stream-writer.js';
import type { FunctionInstance } from './function-instance.js';
import type { Invocation } from './invocation.js';
import { runFunction } from './run-function.js';

const EVENT_STREAM = 'application/vnd.amazon.eventstream';

/**
 * Run the invocation and stream its answer.
 * @example
 * await respondStreaming(state, res, call, instance);
 */
export async function respondStreaming(
  state: EmulatorState,
  res: ServerResponse,
  call: Invocation,
  instance: FunctionInstance,
): Promise<void> {
  const writer = new EventStreamWriter(res, call.faults, (contentType) => {
    res.writeHead(200, {
      ...call.extraHeaders,
      'Content-Type': contentType ?? EVENT_STREAM,
      'X-Amz-Executed-Version': call.version,
      'x-amzn-RequestId': call.requestId,
    });
  });
  const { outcome, logResult } = await runFunction(state, call, instance, writer, res);
  if (outcome.kind === 'aborted') return;
  const fields: InvokeCompleteFields = {};
  if (outcome.kind !== 'success') {
    fields.ErrorCode = outcome.errorType;
    fields.ErrorDetails = outcome.errorMessage;
  }
  if (logResult !== undefined) fields.LogResult = logResult;
  await writer.complete(fields);
}
