/**
 * One input item through the task: the credential's connection, the item's parameters, validation
 * (issues name the n8n fields), then aggregated or chunked output.
 */

import { assertJsonOutputEncoding, assertValidInput, invoke, type TaskInput } from 'lambda-stream-task';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { buildTaskInput } from './build-task-input.js';
import { connectionFromCredentials } from './connection-from-credentials.js';
import { failureFromError, functionFailure } from './item-failure.js';
import { type ItemOutcome, runChunked } from './run-chunked.js';

/** The credential type this node uses (LambdaStreamAwsApi.credentials.ts). */
export const CREDENTIAL_TYPE = 'lambdaStreamAwsApi';

/**
 * @example
 * const { items, failure } = await runItem(this, 0, this.getInputData()[0]);
 */
export async function runItem(
  fx: IExecuteFunctions,
  itemIndex: number,
  item: INodeExecutionData,
): Promise<ItemOutcome> {
  let valid: TaskInput;
  let connection: ReturnType<typeof connectionFromCredentials>;
  try {
    const credentials = await fx.getCredentials(CREDENTIAL_TYPE, itemIndex);
    connection = connectionFromCredentials(credentials, fx.getExecutionCancelSignal?.());
    const parameters = buildTaskInput(fx, itemIndex, item);
    const input: unknown = { ...parameters, settings: { ...parameters.settings, ...connection.settings } };
    // The panel does not offer `bytes`, but an expression can still say it: items are JSON.
    assertJsonOutputEncoding(input, 'the n8n node');
    assertValidInput(input);
    valid = input;
  } catch (error: unknown) {
    return { items: [], failure: failureFromError(error) };
  }
  if (valid.settings?.outputMode === 'chunked') return runChunked(fx, itemIndex, valid, connection.context);
  try {
    const result = await invoke(valid, connection.context);
    if (result.functionError !== undefined) {
      return { items: [], failure: functionFailure(result.functionError, result.payload, result.logResult) };
    }
    // AggregatedResult is plain JSON data; its interface just has no index signature.
    return { items: [{ json: result as unknown as IDataObject, pairedItem: { item: itemIndex } }] };
  } catch (error: unknown) {
    return { items: [], failure: failureFromError(error) };
  }
}
