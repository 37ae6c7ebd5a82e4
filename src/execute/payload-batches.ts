import type { ResponseBody } from '../transport/response-body.js';
import { eventStreamBatches } from './event-stream-batches.js';
import type { OpenResponse } from './open-response.js';
import type { PayloadBatch } from './payload-batch.js';
import { plainBodyBatches } from './plain-body-batches.js';
import type { PreparedCall } from './prepare-call.js';

/**
 * The payload of an open response, in batches, by the definition's response kind. An empty-body
 * status (DryRun, an asynchronous invocation) completes at once; its body is drained so the
 * connection can be reused.
 * @example
 * for await (const batch of payloadBatches(call, opened)) for (const bytes of batch.chunks) …
 */
export async function* payloadBatches(
  call: PreparedCall,
  opened: OpenResponse,
  body: ResponseBody = opened.response.body,
): AsyncGenerator<PayloadBatch, void> {
  const { response } = call.plan;
  if (response.emptyBodyStatus.has(opened.summary.statusCode)) {
    for await (const _ of body) {
      // Drained, not read: the answer has no payload.
    }
    yield { elapsedMs: call.now() - call.startedAt, chunks: [], complete: {} };
    return;
  }
  yield* response.kind === 'payload'
    ? plainBodyBatches(call, opened, body)
    : eventStreamBatches(call, opened, body);
}
