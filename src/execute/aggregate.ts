import { StreamError } from '../errors.js';
import type { AggregatedResult } from '../generated/output-aggregated.js';
import { PayloadCollector } from '../output/payload-collector.js';
import { afterDelivery } from './after-delivery.js';
import { completionSummary, type PayloadCounts } from './completion-summary.js';
import type { OpenResponse } from './open-response.js';
import { payloadBatches } from './payload-batches.js';
import type { PreparedCall } from './prepare-call.js';

/**
 * Read an open response to its end and collect the payload into one result (text, parsed JSON or
 * base64, within the size cap). Nothing is handed downstream before the end.
 * @example
 * const result = await aggregate(call, await openResponse(call, deps))
 */
export async function aggregate(call: PreparedCall, opened: OpenResponse): Promise<AggregatedResult> {
  const { body } = opened.response;
  const collector = new PayloadCollector({
    maxBytes: call.settings.maxAggregatedBytes,
    encoding: call.settings.outputEncoding,
    spillDirectory: call.settings.spillDirectory,
  });
  const counts: PayloadCounts = { bytes: 0, chunks: 0, firstChunkAt: undefined };
  try {
    for await (const batch of payloadBatches(call, opened, body)) {
      if (batch.chunks.length > 0) counts.firstChunkAt ??= batch.elapsedMs;
      for (const bytes of batch.chunks) {
        counts.chunks++;
        counts.bytes += bytes.byteLength;
        const wait = collector.push(bytes);
        if (wait !== undefined) await wait;
      }
      if (batch.complete === undefined) continue;
      const fields = completionSummary(call, opened, batch.complete, counts);
      const collected = await collector.finish();
      return Object.assign(fields, collected) as AggregatedResult;
    }
    throw new StreamError('STREAM_INCOMPLETE', 'The response ended without its completion', {
      retryable: false,
    });
  } catch (error) {
    await collector.abort();
    throw afterDelivery(error, 0);
  } finally {
    await body.return();
  }
}
