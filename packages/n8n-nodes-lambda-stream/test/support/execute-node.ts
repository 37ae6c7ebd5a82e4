/**
 * Runs the node's `execute()` as n8n does, through n8n-workflow's own machinery: a real `Workflow`
 * fills in the parameter defaults from the node's (generated) description, and n8n-workflow's
 * expression engine resolves `={{ … }}` values per item. The execute functions are the members the
 * node uses; any other member throws, so a new dependency on n8n shows up here first.
 */
import type {
  ICredentialDataDecryptedObject,
  IExecuteFunctions,
  INode,
  INodeExecutionData,
  INodeParameters,
  INodeTypes,
  NodeParameterValueType,
} from 'n8n-workflow';
import { Workflow, WorkflowExpression } from 'n8n-workflow';
import { LambdaStream } from '../../src/nodes/LambdaStream/LambdaStream.node.js';

export interface SentChunk {
  type: string;
  itemIndex: number;
  content?: unknown;
}

export interface RunOptions {
  parameters: INodeParameters;
  credentials: ICredentialDataDecryptedObject;
  items?: INodeExecutionData[];
  continueOnFail?: boolean;
  /** As when the workflow's response is streamed (a Webhook in streaming mode). */
  streaming?: boolean;
  signal?: AbortSignal;
  /** Sees each chunk the node sends to the workflow's response, as it is sent. */
  onChunk?: (chunk: SentChunk) => void;
}

export interface RunResult {
  output: INodeExecutionData[];
  chunks: SentChunk[];
}

const NODE_NAME = 'Lambda Stream';

function workflowWith(
  parameters: INodeParameters,
  nodeType: LambdaStream,
): { workflow: Workflow; node: INode } {
  const nodeTypes: INodeTypes = {
    getByName: () => nodeType,
    getByNameAndVersion: () => nodeType,
    getKnownTypes: () => ({}),
  };
  const node: INode = {
    id: 'lambda-stream-node',
    name: NODE_NAME,
    type: 'n8n-nodes-lambda-stream.lambdaStream',
    typeVersion: 1,
    position: [0, 0],
    parameters,
    credentials: { lambdaStreamAwsApi: { id: 'aws', name: 'AWS (Lambda Stream)' } },
  };
  const workflow = new Workflow({ id: 'wf', nodes: [node], connections: {}, active: false, nodeTypes });
  return { workflow, node: workflow.getNode(NODE_NAME) ?? node };
}

/** A value at a dotted parameter path (`timeouts.connectMs`), as n8n's getNodeParameter reads it. */
function at(parameters: INodeParameters, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], parameters);
}

/**
 * Run the node once over the items, throwing what `execute()` throws.
 * @example
 * const { output } = await executeNode({ parameters: { functionName: 'echo' }, credentials });
 */
export async function executeNode(options: RunOptions): Promise<RunResult> {
  const nodeType = new LambdaStream();
  const { workflow, node } = workflowWith(options.parameters, nodeType);
  const expression = new WorkflowExpression(workflow);
  const items = options.items ?? [{ json: {} }];
  const chunks: SentChunk[] = [];
  const members: Partial<IExecuteFunctions> = {
    getInputData: () => items,
    getNode: () => node,
    continueOnFail: () => options.continueOnFail === true,
    getCredentials: async <T>() => options.credentials as T,
    getExecutionCancelSignal: () => options.signal,
    isStreaming: () => options.streaming === true,
    sendChunk: (type, itemIndex, content) => {
      const chunk = { type, itemIndex, ...(content === undefined ? {} : { content }) };
      chunks.push(chunk);
      options.onChunk?.(chunk);
    },
    getNodeParameter: ((name: string, itemIndex: number, fallback?: unknown) => {
      const raw = at(node.parameters, name) ?? fallback;
      return expression.getParameterValue(
        raw as NodeParameterValueType,
        null,
        0,
        itemIndex,
        NODE_NAME,
        items,
        'manual',
        {},
      );
    }) as IExecuteFunctions['getNodeParameter'],
  };
  const fx = new Proxy(members, {
    get(target, key) {
      if (key in target) return target[key as keyof typeof target];
      throw new Error(`test harness: IExecuteFunctions.${String(key)} is not provided`);
    },
  }) as IExecuteFunctions;
  const [output = []] = await nodeType.execute.call(fx);
  return { output, chunks };
}
