/**
 * Chunked mode for one item: one output item per chunk (or line) in order, then the completion
 * item. When n8n streams the workflow's response (a Webhook in streaming mode), each chunk is also
 * sent as it arrives: `begin`, one `item` per chunk, then `end` (or `error`).
 */

import {
  type ExecuteContext,
  invokeStream,
  type OutputEvent,
  redact,
  type TaskInput,
} from 'lambda-stream-task';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { failureFromError, functionFailure, type ItemFailure } from './item-failure.js';

/** The output items of one input item, and why it failed if it did. */
export interface ItemOutcome {
  items: INodeExecutionData[];
  failure?: ItemFailure;
}

/**
 * `isStreaming`/`sendChunk` came with n8n 1.10x: an older n8n has neither, and then nothing is
 * streamed. n8n's `sendChunk` returns a promise (typed `void`): awaiting it keeps the chunks in order.
 */
function canStream(fx: IExecuteFunctions): boolean {
  return typeof fx.isStreaming === 'function' && typeof fx.sendChunk === 'function' && fx.isStreaming();
}

/** The output so far as one value: text, or base64 of the bytes (base64 pieces do not concatenate). */
function joined(parts: readonly string[], encoding: string): string {
  if (encoding !== 'base64') return parts.join('');
  return Buffer.concat(parts.map((part) => Buffer.from(part, 'base64'))).toString('base64');
}

function errorFailure(event: Extract<OutputEvent, { type: 'error' }>, partialOutput: string): ItemFailure {
  const details: IDataObject = {
    code: event.code,
    retryable: event.retryable,
    chunksDelivered: event.chunksDelivered,
  };
  if (event.statusCode !== undefined) details.statusCode = event.statusCode;
  if (event.awsErrorType !== undefined) details.awsErrorType = event.awsErrorType;
  if (event.requestId !== undefined) details.requestId = event.requestId;
  details.partialOutput = partialOutput;
  return { message: redact(event.message), description: `Error code ${event.code}`, details };
}

/**
 * @example
 * const { items, failure } = await runChunked(this, 0, input, context);
 */
export async function runChunked(
  fx: IExecuteFunctions,
  itemIndex: number,
  input: TaskInput,
  context: ExecuteContext,
): Promise<ItemOutcome> {
  const streaming = canStream(fx);
  const pairedItem = { item: itemIndex };
  const items: INodeExecutionData[] = [];
  const parts: string[] = [];
  let encoding = 'utf8';
  try {
    for await (const event of invokeStream(input, context)) {
      if (event.type === 'start') {
        if (streaming) await fx.sendChunk('begin', itemIndex);
      } else if (event.type === 'chunk') {
        // The data first: it is what a user looks for in n8n's table and JSON views.
        const { type, seq, data, ...timing } = event;
        // runItem refuses `bytes` (an item is JSON), so a chunk's data is text here.
        if (typeof data !== 'string')
          throw new TypeError('An n8n item cannot carry bytes: use utf8 or base64');
        items.push({ json: { type, seq, data, ...timing }, pairedItem });
        parts.push(data);
        encoding = event.encoding;
        if (streaming) await fx.sendChunk('item', itemIndex, data);
      } else if (event.type === 'complete') {
        items.push({ json: { ...event }, pairedItem });
        if (event.functionError === undefined) {
          if (streaming) await fx.sendChunk('end', itemIndex);
          return { items };
        }
        const failure = functionFailure(event.functionError, joined(parts, encoding), event.logResult);
        if (streaming) await fx.sendChunk('error', itemIndex, failure.message);
        return { items, failure };
      } else if (event.type === 'error') {
        const failure = errorFailure(event, joined(parts, encoding));
        if (streaming) await fx.sendChunk('error', itemIndex, failure.message);
        return { items, failure };
      }
    }
  } catch (error: unknown) {
    return { items, failure: failureFromError(error, { partialOutput: joined(parts, encoding) }) };
  }
  return { items, failure: endedEarly(context.signal, items.length, joined(parts, encoding)) };
}

/**
 * The events ended without `complete` or `error`: the task's stream stops quietly when the call's
 * signal aborts (n8n cancelled the execution). Without this the item would look like a success.
 */
function endedEarly(
  signal: AbortSignal | undefined,
  chunksDelivered: number,
  partialOutput: string,
): ItemFailure {
  const code = signal?.aborted === true ? 'ABORTED' : 'STREAM_INCOMPLETE';
  const message =
    code === 'ABORTED'
      ? 'The execution was cancelled during the call'
      : 'The response ended without its completion';
  return { message, description: `Error code ${code}`, details: { code, chunksDelivered, partialOutput } };
}
