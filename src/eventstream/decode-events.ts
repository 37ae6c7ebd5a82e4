import type { PlanEvents } from '../definition/call-plan.js';
import { EventDecoder } from './event-decoder.js';
import type { DecodeEventsOptions, StreamEvent } from './stream-event.js';

/**
 * Decodes a response body into typed events: frames the bytes, checks both CRCs of every message and
 * dispatches on `:message-type`, in one async-generator layer. The event and field names are the
 * definition's (its call plan's `response.events`).
 *
 * - `event` + the chunk event type → `{ kind: 'chunk', payload }` (a view of the read, not a copy);
 * - `event` + the complete event type → `{ kind: 'complete', errorCode?, errorDetails?, logResult? }`
 *   (JSON body; an empty body is `{}`); other event types are skipped (or refused: `unknownEvents: 'error'`);
 * - `exception` / `error` → `StreamError` `STREAM_EXCEPTION` with `details.exceptionType` and `details.message`;
 * - no `:message-type` → `STREAM_MALFORMED`; CRC failures → `STREAM_CHECKSUM`; a cut-off message →
 *   `STREAM_TRUNCATED`; the body ending without the complete event → `STREAM_INCOMPLETE`.
 *
 * Everything after the complete event is ignored: the result is already known, and the source is read
 * to its end (not decoded) so a keep-alive connection can be reused. Stop iterating after `complete`
 * to close the source instead.
 * @example
 * for await (const event of decodeEvents(response, loadManifest().plan.response.events!)) {
 *   if (event.kind === 'chunk') process.stdout.write(event.payload);
 *   else if (event.errorCode) console.error(event.errorCode);
 * }
 */
export async function* decodeEvents(
  source: AsyncIterable<Uint8Array>,
  events: PlanEvents,
  options: DecodeEventsOptions = {},
): AsyncIterable<StreamEvent> {
  const decoder = new EventDecoder(events, options);
  for await (const chunk of source) {
    decoder.push(chunk);
    for (let event = decoder.next(); event !== undefined; event = decoder.next()) yield event;
  }
  decoder.finish();
}
