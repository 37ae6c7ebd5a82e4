/**
 * A failed item as n8n expects it: a `NodeOperationError` naming the item, or, with "Continue
 * On Fail", an output item carrying the error code and whatever output arrived before the failure.
 * Messages pass through the task's `redact()`; no credential reaches an error or an item.
 */

import { InputError, isTaskError, redact } from 'lambda-stream-task';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { fieldLabel } from './field-label.js';

/** What went wrong with one item: a sentence, how to fix it, and the facts for the error item. */
export interface ItemFailure {
  message: string;
  description?: string;
  /** `code` (a task error code), and e.g. `functionError`, `statusCode`, `awsErrorType`, `partialOutput`. */
  details: IDataObject;
}

/** Facts of a task error that help the user, never secrets. */
const FACTS = ['statusCode', 'awsErrorType', 'requestId', 'retryable', 'chunksDelivered'] as const;

/**
 * @example
 * failureFromError(new InputError('INVALID_INPUT', '…', issues)) // message names the n8n fields
 */
export function failureFromError(error: unknown, partial: IDataObject = {}): ItemFailure {
  if (error instanceof NodeOperationError) {
    return { message: error.message, details: { code: 'INVALID_INPUT', ...partial } };
  }
  if (!isTaskError(error)) {
    return { message: redact(error instanceof Error ? error.message : String(error)), details: partial };
  }
  const details: IDataObject = { code: error.code, ...partial };
  const facts = error as unknown as Record<string, unknown>;
  for (const key of FACTS) {
    const value = facts[key];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      details[key] = value;
  }
  if (error instanceof InputError && error.issues.length > 0) {
    const lines = error.issues.map((issue) => `${fieldLabel(issue.path)}: ${redact(issue.message)}`);
    return { message: `Invalid parameter: ${lines[0]}`, description: lines.join('\n'), details };
  }
  return { message: redact(error.message), description: `Error code ${error.code}`, details };
}

/**
 * The function ran and reported an error: n8n sees a failed item, with the function's own output kept.
 * @example
 * functionFailure({ errorCode: 'Error', errorDetails: 'boom' }, 'partial text') // details.code === 'FUNCTION_ERROR'
 */
export function functionFailure(
  functionError: { errorCode: string; errorDetails?: string },
  partialOutput: unknown,
  logResult?: string,
): ItemFailure {
  const details: IDataObject = {
    code: 'FUNCTION_ERROR',
    functionError,
    partialOutput: partialOutput as IDataObject[string],
  };
  if (logResult !== undefined) details.logResult = redact(logResult);
  const more = functionError.errorDetails === undefined ? '' : `: ${redact(functionError.errorDetails)}`;
  return {
    message: `The function reported ${functionError.errorCode}${more}`,
    description:
      'Error code FUNCTION_ERROR. The output the function wrote before failing is in partialOutput.',
    details,
  };
}

/**
 * The error n8n shows when the item fails the node; its `context` carries the details (`code`, …).
 * @example
 * if (!this.continueOnFail()) throw toNodeError(this, failure, itemIndex);
 */
export function toNodeError(
  fx: IExecuteFunctions,
  failure: ItemFailure,
  itemIndex: number,
): NodeOperationError {
  const error = new NodeOperationError(fx.getNode(), failure.message, {
    itemIndex,
    ...(failure.description === undefined ? {} : { description: failure.description }),
  });
  Object.assign(error.context, failure.details);
  return error;
}

/**
 * The output item of a failed item when "Continue On Fail" is on.
 * @example
 * output.push(failureItem(failure, itemIndex)); // { json: { error, code, partialOutput, … }, pairedItem }
 */
export function failureItem(failure: ItemFailure, itemIndex: number): INodeExecutionData {
  return { json: { error: failure.message, ...failure.details }, pairedItem: { item: itemIndex } };
}
