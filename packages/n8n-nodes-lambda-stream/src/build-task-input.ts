/**
 * Reads one item's node parameters (expressions resolved by n8n) into the task input, using the
 * generated bindings: each field goes to `input[location][key]`, the payload to the body member,
 * the settings by name. Nothing is checked here: the task validates the whole input and its issues
 * are reported with the fields' names (describe-input-error.ts).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { parameterBindings, payloadMember, settingNames } from './node-description.js';

/** The payload: the JSON field (an object, or JSON text) or the input item's JSON as is. */
function readPayload(fx: IExecuteFunctions, itemIndex: number, item: INodeExecutionData): unknown {
  if (fx.getNodeParameter('payloadSource', itemIndex) === 'item') return item.json;
  const value = fx.getNodeParameter('payload', itemIndex);
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch (error: unknown) {
    throw new NodeOperationError(fx.getNode(), 'Payload must be valid JSON', {
      itemIndex,
      description: `Payload: ${error instanceof Error ? error.message : String(error)}. Use an expression such as {{ JSON.stringify($json) }} for text, or choose Payload Source "Input Item".`,
    });
  }
}

/** An empty field or collection is a field left out: the task's default applies. */
function isSet(value: unknown): boolean {
  if (value === '' || value === undefined || value === null) return false;
  return typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length > 0;
}

/**
 * The task input of one item, without the connection settings (the credential's, added by the caller).
 * @example
 * const input = buildTaskInput(this, 0, items[0]); // { path: { FunctionName: 'fn' }, body: { Payload: {} }, settings: { outputMode: 'chunked', … } }
 */
export function buildTaskInput(
  fx: IExecuteFunctions,
  itemIndex: number,
  item: INodeExecutionData,
): Record<string, IDataObject> {
  const input: Record<string, IDataObject> = { settings: {} };
  for (const { name, location, key } of parameterBindings) {
    const value = fx.getNodeParameter(name, itemIndex, '');
    if (!isSet(value)) continue;
    input[location] ??= {};
    (input[location] as IDataObject)[key] = value as IDataObject[string];
  }
  input.body = { [payloadMember]: readPayload(fx, itemIndex, item) as IDataObject[string] };
  for (const name of settingNames) {
    const value = fx.getNodeParameter(name, itemIndex, '');
    if (isSet(value)) (input.settings as IDataObject)[name] = value as IDataObject[string];
  }
  return input;
}
