import { drainBody } from '../transport/drain-body.js';
import type { ResponseBody } from '../transport/response-body.js';
import { eventStreamBatches } from './event-stream-batches.js';
import type { OpenResponse } from './open-response.js';
import type { PayloadBatch } from './payload-batch.js';
import { plainBodyBatches } from './plain-body-batches.js';
import type { PreparedCall } from './prepare-call.js';

/** An empty-body status: drained, not read, within a bound (so the connection can be reused). */
async function* emptyBodyBatches(call: PreparedCall, body: ResponseBody): AsyncGenerator<PayloadBatch, void> {
  await drainBody(body);
  yield { elapsedMs: call.now() - call.startedAt, chunks: [], complete: {} };
}

/**
 * The payload of an open response, in batches, by the definition's response kind. An empty-body
 * status (DryRun, an asynchronous invocation) completes at once. The reader of the kind is returned
 * itself, not wrapped in a generator of ours: a `yield*` layer costs a round trip per batch.
 * @example
 * for await (const batch of payloadBatches(call, opened)) for (const bytes of batch.chunks) …
 */
export function payloadBatches(
  call: PreparedCall,
  opened: OpenResponse,
  body: ResponseBody = opened.response.body,
): AsyncGenerator<PayloadBatch, void> {
  const { response } = call.plan;
  if (response.emptyBodyStatus.has(opened.summary.statusCode)) return emptyBodyBatches(call, body);
  return response.kind === 'payload'
    ? plainBodyBatches(call, opened, body)
    : eventStreamBatches(call, opened, body);
}
