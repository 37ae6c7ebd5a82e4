import { EventDecoder } from '../eventstream/event-decoder.js';
import type { StreamEvent } from '../eventstream/stream-event.js';
import { delimiterFromHex, PreludeSplitter } from '../output/http-integration-prelude.js';
import { mediaType } from '../output/response-summary.js';
import type { ResponseBody } from '../transport/response-body.js';
import type { OpenResponse } from './open-response.js';
import type { PayloadBatch } from './payload-batch.js';
import type { PreparedCall } from './prepare-call.js';

function preludeSplitter(call: PreparedCall, opened: OpenResponse): PreludeSplitter | undefined {
  const integration = call.plan.response.httpIntegration;
  return integration !== undefined &&
    mediaType(opened.summary.contentType) === integration.contentType.toLowerCase()
    ? new PreludeSplitter(delimiterFromHex(integration.delimiterHex))
    : undefined;
}

function decoderFor(call: PreparedCall): EventDecoder {
  const { observer, now } = call;
  const onMessage = observer?.onMessage;
  return new EventDecoder(call.plan.response.events!, {
    ...(onMessage === undefined
      ? {}
      : {
          onMessage: (m) =>
            onMessage({
              eventType: m.eventType,
              messageType: m.messageType,
              role: m.role,
              size: m.size,
              elapsedMs: now() - call.startedAt,
              payload: m.payload,
            }),
        }),
  });
}

/**
 * An event-stream body as payload batches, one per read: every message of a read is framed, checked
 * and decoded synchronously, so the async hops are per read, not per message (the socket is still
 * read only when a batch is pulled). The HTTP-integration prelude is removed from the payload and
 * handed on with the completion.
 * @example
 * for await (const batch of eventStreamBatches(call, opened, body)) …
 */
export async function* eventStreamBatches(
  call: PreparedCall,
  opened: OpenResponse,
  body: ResponseBody,
): AsyncGenerator<PayloadBatch, void> {
  const { now } = call;
  const prelude = preludeSplitter(call, opened);
  const decoder = decoderFor(call);
  let completion: StreamEvent | undefined;
  let preludeSeen = false;
  for await (const read of body) {
    // After the completion event the rest of the body is read, not decoded (the service ends it
    // right after): closing a body that has not ended destroys the socket, and the next call would
    // pay for a new connection instead of reusing this keep-alive one.
    if (completion !== undefined) continue;
    decoder.push(read);
    const chunks: Uint8Array[] = [];
    try {
      for (let event = decoder.next(); event !== undefined; event = decoder.next()) {
        if (event.kind === 'complete') {
          completion = event;
          break;
        }
        const bytes = prelude === undefined ? event.payload : prelude.push(event.payload);
        if (prelude?.response !== undefined && !preludeSeen) {
          preludeSeen = true;
          call.observer?.onPrelude?.({ ...prelude.response, elapsedMs: now() - call.startedAt });
        }
        if (bytes.byteLength > 0) chunks.push(bytes);
      }
    } catch (error) {
      // The chunks before a bad message were good: hand them on before the error.
      if (chunks.length > 0) yield { elapsedMs: now() - call.startedAt, chunks };
      throw error;
    }
    if (chunks.length > 0) yield { elapsedMs: now() - call.startedAt, chunks };
  }
  decoder.finish();
  if (completion?.kind !== 'complete') return;
  prelude?.finish();
  const { errorCode, errorDetails, logResult } = completion;
  yield {
    elapsedMs: now() - call.startedAt,
    chunks: [],
    complete: {
      ...(errorCode === undefined ? {} : { errorCode }),
      ...(errorDetails === undefined ? {} : { errorDetails }),
      ...(logResult === undefined ? {} : { logResult }),
      ...(prelude?.response === undefined ? {} : { httpResponse: prelude.response }),
    },
  };
}
