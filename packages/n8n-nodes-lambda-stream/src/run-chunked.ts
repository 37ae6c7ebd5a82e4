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

/** `isStreaming`/`sendChunk` came with n8n 1.10x: an older n8n has neither, and then nothing is streamed. */
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
        if (streaming) fx.sendChunk('begin', itemIndex);
      } else if (event.type === 'chunk') {
        items.push({ json: { ...event }, pairedItem });
        parts.push(event.data);
        encoding = event.encoding;
        if (streaming) fx.sendChunk('item', itemIndex, event.data);
      } else if (event.type === 'complete') {
        items.push({ json: { ...event }, pairedItem });
        if (event.functionError === undefined) {
          if (streaming) fx.sendChunk('end', itemIndex);
          continue;
        }
        const failure = functionFailure(event.functionError, joined(parts, encoding), event.logResult);
        if (streaming) fx.sendChunk('error', itemIndex, failure.message);
        return { items, failure };
      } else {
        const failure = errorFailure(event, joined(parts, encoding));
        if (streaming) fx.sendChunk('error', itemIndex, failure.message);
        return { items, failure };
      }
    }
  } catch (error: unknown) {
    return { items, failure: failureFromError(error, { partialOutput: joined(parts, encoding) }) };
  }
  return { items };
}
