/**
 * The Lambda Stream node: AWS Lambda InvokeWithResponseStream for each input item, aggregated (one
 * item per input item) or chunked (one item per chunk or line, then a completion item; streamed to
 * the workflow's response when n8n streams it). Its panel is generated from the task's schemas.
 * (File and class names follow n8n's loader: `<Class>.node.js` exports `<Class>`.)
 */
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { failureItem, toNodeError } from '../../item-failure.js';
import { definition, nodeProperties } from '../../node-description.js';
import { CREDENTIAL_TYPE, runItem } from '../../run-item.js';
import { lambdaStreamAwsApiTest } from '../../test-credentials.js';

export class LambdaStream implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Lambda Stream',
    name: 'lambdaStream',
    icon: 'file:lambda-stream.svg',
    group: ['transform'],
    version: 1,
    subtitle: '={{$parameter["functionName"] + " · " + $parameter["outputMode"]}}',
    description: definition.description,
    defaults: { name: 'Lambda Stream' },
    inputs: ['main'],
    outputs: ['main'],
    credentials: [{ name: CREDENTIAL_TYPE, required: true, testedBy: 'lambdaStreamAwsApiTest' }],
    properties: nodeProperties,
  };

  methods = { credentialTest: { lambdaStreamAwsApiTest } };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    const output: INodeExecutionData[] = [];
    for (const [itemIndex, item] of items.entries()) {
      const outcome = await runItem(this, itemIndex, item);
      if (outcome.failure === undefined) {
        output.push(...outcome.items);
        continue;
      }
      if (!this.continueOnFail()) throw toNodeError(this, outcome.failure, itemIndex);
      output.push(...outcome.items, failureItem(outcome.failure, itemIndex));
    }
    return [output];
  }
}
