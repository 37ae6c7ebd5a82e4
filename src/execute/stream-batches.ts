import { StreamError } from '../errors.js';
import type { OutputEvent, StartEvent } from '../generated/output-event.js';
import { ChunkEventEncoder } from '../output/chunk-event-encoder.js';
import type { ResponseBody } from '../transport/response-body.js';
import { afterDelivery, errorEvent } from './after-delivery.js';
import { completionSummary, type PayloadCounts } from './completion-summary.js';
import { type OpenDependencies, openResponse } from './open-response.js';
import type { PayloadBatch } from './payload-batch.js';
import { payloadBatches } from './payload-batches.js';
import type { PreparedCall } from './prepare-call.js';

/** The chunk events of one batch; the events before a failure (lines before an over-long one) come with it. */
function chunkEvents(
  call: PreparedCall,
  encoder: ChunkEventEncoder,
  batch: PayloadBatch,
  counts: PayloadCounts,
): { events: OutputEvent[]; failure?: unknown } {
  const events: OutputEvent[] = [];
  // The function's HTTP status and headers go downstream as soon as they are known, before any chunk.
  if (batch.httpResponse !== undefined)
    events.push({ type: 'httpResponse', httpResponse: batch.httpResponse, elapsedMs: batch.elapsedMs });
  const byChunk = call.settings.framing === 'chunk';
  try {
    for (const bytes of batch.chunks) {
      counts.chunks++;
      counts.bytes += bytes.byteLength;
      if (byChunk) events.push(encoder.pushChunk(bytes, batch.elapsedMs));
      else for (const event of encoder.push(bytes, batch.elapsedMs)) events.push(event);
    }
    if (batch.complete !== undefined) {
      for (const event of encoder.finish(call.now() - call.startedAt)) events.push(event);
    }
    return { events };
  } catch (failure) {
    return { events, failure };
  }
}

/**
 * The chunked events, in batches: the start event alone (at the response headers), then the chunk
 * events of each read of the body (led by the `httpResponse` event in the read that completed an
 * HTTP-integration prelude), then the completion or the error. `invokeStream` hands them out
 * one by one (see `flattenBatches`), so a batch is resumed from only once all its events have been
 * taken, which keeps `chunksDelivered` exact. A cancelled call ends quietly: the host asked for it.
 * The call is prepared on the first pull (`prepare`), outside the error handling: an input error is
 * thrown from the first `next()`, before anything is sent.
 * @example
 * for await (const events of streamBatches(() => prepareCall(manifest, input, context, sources), deps)) …
 */
export async function* streamBatches(
  prepare: () => Promise<PreparedCall>,
  deps: OpenDependencies,
): AsyncGenerator<OutputEvent[], void, undefined> {
  const call = await prepare();
  let chunksDelivered = 0;
  let body: ResponseBody | undefined;
  try {
    const opened = await openResponse(call, deps);
    body = opened.response.body;
    const start: StartEvent = Object.assign({ type: 'start' as const }, opened.summary, {
      elapsedMs: opened.timeToFirstByteMs,
    });
    yield [start];
    const { outputEncoding, framing, maxLineBytes } = call.settings;
    const encoder = new ChunkEventEncoder({ encoding: outputEncoding, framing, maxLineBytes });
    const counts: PayloadCounts = { bytes: 0, chunks: 0, firstChunkAt: undefined };
    for await (const batch of payloadBatches(call, opened, body)) {
      if (batch.chunks.length > 0) counts.firstChunkAt ??= batch.elapsedMs;
      const result = chunkEvents(call, encoder, batch, counts);
      if (result.events.length > 0) {
        yield result.events;
        chunksDelivered += result.events.length - (batch.httpResponse === undefined ? 0 : 1);
      }
      if ('failure' in result) throw result.failure;
      if (batch.complete === undefined) continue;
      yield [{ type: 'complete', ...completionSummary(call, opened, batch.complete, counts) }];
      return;
    }
    throw new StreamError('STREAM_INCOMPLETE', 'The response ended without its completion', {
      retryable: false,
    });
  } catch (error) {
    if (call.signal?.aborted) return;
    const failure = afterDelivery(error, chunksDelivered);
    call.logger.error(failure.message, { code: failure.code, chunksDelivered });
    yield [errorEvent(failure, chunksDelivered)];
  } finally {
    await body?.return();
  }
}
