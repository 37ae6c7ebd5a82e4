import { StreamError } from '../errors.js';
import type { ResponseBody } from '../transport/response-body.js';
import type { OpenResponse } from './open-response.js';
import type { Completion, PayloadBatch } from './payload-batch.js';
import type { PreparedCall } from './prepare-call.js';

function header(opened: OpenResponse, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const value = opened.response.headers[name.toLowerCase()];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}

/** A `payload` response's completion is in its headers: the function error and the tail log. */
function completionOf(call: PreparedCall, opened: OpenResponse): Completion {
  const names = call.plan.response.headers;
  const errorCode = header(opened, names.functionError);
  const logResult = header(opened, names.logResult);
  return {
    ...(errorCode === undefined ? {} : { errorCode }),
    ...(logResult === undefined ? {} : { logResult }),
  };
}

/**
 * A plain (`payload`) body as payload batches: each read of the body is one chunk, as it arrives,
 * and the body's end is the completion, whose function error and tail log come from the response
 * headers the definition names. A body over the definition's `maxBytes` fails with
 * `STREAM_MALFORMED` (the service never sends one).
 * @example
 * for await (const batch of plainBodyBatches(call, opened, body)) …
 */
export async function* plainBodyBatches(
  call: PreparedCall,
  opened: OpenResponse,
  body: ResponseBody,
): AsyncGenerator<PayloadBatch, void> {
  const { now } = call;
  const max = call.plan.response.maxBytes;
  let total = 0;
  for await (const read of body) {
    total += read.byteLength;
    if (max !== undefined && total > max) {
      throw new StreamError('STREAM_MALFORMED', `The response body is larger than ${max} bytes`, {
        details: { maxBytes: max },
      });
    }
    if (read.byteLength > 0) yield { elapsedMs: now() - call.startedAt, chunks: [read] };
  }
  yield { elapsedMs: now() - call.startedAt, chunks: [], complete: completionOf(call, opened) };
}
