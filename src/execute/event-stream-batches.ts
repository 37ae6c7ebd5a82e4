import { EventDecoder } from '../eventstream/event-decoder.js';
import type { StreamEvent } from '../eventstream/stream-event.js';
import { delimiterFromHex, PreludeSplitter } from '../output/http-integration-prelude.js';
import { mediaType } from '../output/response-summary.js';
import { drainBody } from '../transport/drain-body.js';
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
 * read only when a batch is pulled). The HTTP-integration prelude is removed from the payload, handed
 * on in the batch of the read that completed it (so chunked mode can emit it before the first chunk),
 * and again with the completion.
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
  let preludeAnnounced = false;
  /** The batch of one read; carries the prelude the first time it is complete. */
  const batch = (chunks: Uint8Array[]): PayloadBatch => {
    const out: PayloadBatch = { elapsedMs: now() - call.startedAt, chunks };
    if (!preludeAnnounced && prelude?.response !== undefined) {
      preludeAnnounced = true;
      out.httpResponse = prelude.response;
    }
    return out;
  };
  const announces = (): boolean => !preludeAnnounced && prelude?.response !== undefined;
  // Pulled by hand, not with for-await: leaving a for-await loop closes the body, and the end of the
  // body after the completion event is still to be read (see drainBody).
  for (let next = await body.next(); !next.done; next = await body.next()) {
    const read = next.value;
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
      if (chunks.length > 0 || announces()) yield batch(chunks);
      throw error;
    }
    if (chunks.length > 0 || announces()) yield batch(chunks);
    // After the completion event only the body's end is awaited, within a bound: the service ends
    // it at once (and the keep-alive connection is reused); a peer that stays silent or keeps
    // sending must not hold the finished call.
    if (completion !== undefined) {
      await drainBody(body);
      break;
    }
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
