import type { CompleteEvent } from '../generated/output-event.js';
import { decodeLogResult, logTail } from '../output/response-summary.js';
import type { OpenResponse } from './open-response.js';
import type { Completion } from './payload-batch.js';
import type { PreparedCall } from './prepare-call.js';

/** What was counted while the payload went by. */
export interface PayloadCounts {
  bytes: number;
  chunks: number;
  firstChunkAt: number | undefined;
}

/**
 * The fields of the completion (the `complete` event, and the aggregated result around its payload):
 * the response summary, counts and timings, the decoded tail log, the function error and the
 * HTTP-integration prelude. The tail log and a function error are also written to the host's logger.
 * @example
 * const fields = completionSummary(call, opened, batch.complete, counts)
 */
export function completionSummary(
  call: PreparedCall,
  opened: OpenResponse,
  done: Completion,
  counts: PayloadCounts,
): Omit<CompleteEvent, 'type'> {
  const { requestId } = opened.summary;
  const logText = decodeLogResult(done.logResult);
  logTail(call.logger, logText, requestId);
  if (done.errorCode !== undefined) {
    call.logger.warn(`The function reported ${done.errorCode}`, {
      errorCode: done.errorCode,
      ...(done.errorDetails === undefined ? {} : { errorDetails: done.errorDetails }),
      ...(requestId === undefined ? {} : { requestId }),
    });
  }
  // Assigned field by field rather than spread from conditional objects (every call pays for this),
  // and with Object.assign: V8 makes adding properties to an object built by a spread costly.
  const fields: Omit<CompleteEvent, 'type'> = Object.assign({}, opened.summary, {
    bytes: counts.bytes,
    chunks: counts.chunks,
    timeToFirstByteMs: opened.timeToFirstByteMs,
    totalMs: call.now() - call.startedAt,
  });
  if (counts.firstChunkAt !== undefined) fields.timeToFirstChunkMs = counts.firstChunkAt;
  if (logText !== undefined) fields.logResult = logText;
  if (done.errorCode !== undefined) {
    fields.functionError = { errorCode: done.errorCode };
    if (done.errorDetails !== undefined) fields.functionError.errorDetails = done.errorDetails;
  }
  if (done.httpResponse !== undefined) fields.httpResponse = done.httpResponse;
  return fields;
}
