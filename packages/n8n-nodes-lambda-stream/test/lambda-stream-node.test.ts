/**
 * The node's execute() through n8n-workflow (real Workflow, parameter defaults and expressions)
 * against the task's local Lambda emulator: both output modes, streaming to the workflow's response,
 * the payload sources, and n8n's failure conventions.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EmulatorHandle } from 'lambda-stream-task/emulator';
import { startEmulator } from 'lambda-stream-task/emulator';
import type { ICredentialDataDecryptedObject, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { executeNode } from './support/execute-node.js';

let emulator: EmulatorHandle;
let credentials: ICredentialDataDecryptedObject;
const requests: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ onLog: (line) => line.startsWith('START') && requests.push(line) });
  credentials = {
    authentication: 'accessKey',
    accessKeyId: 'test',
    secretAccessKey: 'test',
    region: 'us-east-1',
    endpoint: emulator.url,
  };
});
afterAll(async () => {
  await emulator.close();
});

/** The tokens function's words (functions/tokens.ts), for a prompt of length 0. */
const WORDS = ['The', ' quick', ' model', ' streams', ' tokens', ' as'];

const json = (items: INodeExecutionData[]) => items.map((item) => item.json);

describe('aggregated mode', () => {
  it('gives one item per input item, with expressions resolved per item by n8n-workflow', async () => {
    const { output } = await executeNode({
      credentials,
      parameters: {
        functionName: '={{ $json.fn }}',
        payload: '={{ JSON.stringify({ count: $json.count, delayMs: 0 }) }}',
      },
      items: [{ json: { fn: 'tokens', count: 2 } }, { json: { fn: 'tokens', count: 4 } }],
    });
    expect(output).toHaveLength(2);
    expect(output.map((item) => item.json.payload)).toEqual([
      WORDS.slice(0, 2).join(''),
      WORDS.slice(0, 4).join(''),
    ]);
    expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
    expect(output[0]?.json).toMatchObject({ statusCode: 200, chunks: 2, payloadEncoding: 'utf8' });
  });

  it("sends the input item's JSON as the payload when Payload Source is Input Item", async () => {
    const { output } = await executeNode({
      credentials,
      parameters: { functionName: 'echo', payloadSource: 'item' },
      items: [{ json: { hello: 'n8n', n: [1, 2] } }],
    });
    expect(output[0]?.json.payload).toEqual({ hello: 'n8n', n: [1, 2] });
    expect(output[0]?.json.payloadEncoding).toBe('json');
  });
});

describe('chunked mode', () => {
  it('gives one item per chunk in order, then the completion item', async () => {
    const { output, chunks } = await executeNode({
      credentials,
      parameters: { functionName: 'tokens', outputMode: 'chunked', payload: '{ "count": 6, "delayMs": 1 }' },
    });
    expect(json(output).map((item) => item.type)).toEqual([...WORDS.map(() => 'chunk'), 'complete']);
    expect(json(output.slice(0, -1)).map((item) => [item.seq, item.data])).toEqual(
      WORDS.map((w, i) => [i, w]),
    );
    expect(output.at(-1)?.json).toMatchObject({ type: 'complete', chunks: 6, bytes: WORDS.join('').length });
    expect(chunks).toEqual([]); // not a streamed response: nothing sent
  });

  it("also sends each chunk to the workflow's response when n8n streams it", async () => {
    const { chunks } = await executeNode({
      credentials,
      streaming: true,
      parameters: { functionName: 'tokens', outputMode: 'chunked', payload: '{ "count": 3, "delayMs": 1 }' },
      items: [{ json: {} }, { json: {} }],
    });
    const perItem = (i: number) => [
      { type: 'begin', itemIndex: i },
      ...WORDS.slice(0, 3).map((content) => ({ type: 'item', itemIndex: i, content })),
      { type: 'end', itemIndex: i },
    ];
    expect(chunks).toEqual([...perItem(0), ...perItem(1)]);
  });

  it('splits newline-delimited output into one item per line with line framing', async () => {
    const { output } = await executeNode({
      credentials,
      parameters: {
        functionName: 'ndjson',
        outputMode: 'chunked',
        framing: 'line',
        payload: '{ "records": 3, "chunkBytes": 7 }',
      },
    });
    const lines = json(output.slice(0, -1)).map((item) => String(item.data));
    expect(lines.map((line) => JSON.parse(line))).toEqual(
      [0, 1, 2].map((seq) => ({ seq, text: `record ${seq}` })),
    );
  });
});

describe('failures', () => {
  it('names the n8n field and its rule for a bad parameter, and sends nothing', async () => {
    const before = requests.length;
    const failure = executeNode({ credentials, parameters: { functionName: 'not a name!' } });
    await expect(failure).rejects.toThrow(NodeOperationError);
    await expect(failure).rejects.toThrow(/^Invalid parameter: Function Name: /);
    expect(requests.length).toBe(before);
  });

  it('refuses Output Encoding bytes from an expression (items are JSON), and sends nothing', async () => {
    const before = requests.length;
    const parameters = { functionName: 'echo', outputEncoding: "={{ 'bytes' }}" };
    const failure = executeNode({ credentials, parameters });
    await expect(failure).rejects.toThrow(
      "Invalid parameter: Output Encoding: settings.outputEncoding: 'bytes' gives Uint8Array data, which the n8n node cannot carry",
    );
    expect(requests.length).toBe(before);
  });

  it('rejects a Payload that is not JSON, naming the field', async () => {
    await expect(
      executeNode({ credentials, parameters: { functionName: 'echo', payload: '{ nope' } }),
    ).rejects.toThrow('Payload must be valid JSON');
  });

  it('fails the node on a function error, with the error code on the error', async () => {
    const error = await executeNode({ credentials, parameters: { functionName: 'fails' } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NodeOperationError);
    expect((error as NodeOperationError).message).toMatch(/^The function reported /);
    expect((error as NodeOperationError).context).toMatchObject({
      code: 'FUNCTION_ERROR',
      partialOutput: 'partial output before the failure\n',
    });
  });

  it('with Continue On Fail, keeps the chunks that arrived and adds an item with the code and partial output', async () => {
    const { output } = await executeNode({
      credentials,
      continueOnFail: true,
      parameters: { functionName: 'fails', outputMode: 'chunked', payload: '{ "message": "boom" }' },
    });
    const last = output.at(-1)?.json;
    expect(json(output).map((item) => item.type ?? 'error')).toEqual(['chunk', 'complete', 'error']);
    expect(last).toMatchObject({
      code: 'FUNCTION_ERROR',
      partialOutput: 'partial output before the failure\n',
    });
    expect(last?.functionError).toMatchObject({ errorDetails: expect.stringContaining('boom') });
    expect(output.at(-1)?.pairedItem).toEqual({ item: 0 });
  });

  it('with Continue On Fail, reports a service error with its code and AWS error type', async () => {
    const { output } = await executeNode({
      credentials,
      continueOnFail: true,
      parameters: { functionName: 'no-such-function' },
    });
    expect(output).toHaveLength(1);
    expect(output[0]?.json).toMatchObject({
      code: 'SERVICE_ERROR',
      statusCode: 404,
      awsErrorType: 'ResourceNotFoundException',
    });
  });

  it('never puts the secret key in an error or an item', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const wrong = { ...credentials, secretAccessKey: secret, sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN' };
    const { output } = await executeNode({
      credentials: wrong,
      continueOnFail: true,
      parameters: { functionName: 'echo' },
    });
    expect(output[0]?.json).toMatchObject({ code: 'SERVICE_ERROR', statusCode: 403 });
    const failure = await executeNode({ credentials: wrong, parameters: { functionName: 'echo' } }).catch(
      (e: unknown) => e,
    );
    const printed = JSON.stringify({ output, failure, message: (failure as Error).message });
    expect(printed).not.toContain(secret);
    expect(printed).not.toContain('FwoGZXIvYXdzEXAMPLETOKEN');
  });

  it('stops the call when n8n cancels the execution', async () => {
    const controller = new AbortController();
    const { output } = await executeNode({
      credentials,
      continueOnFail: true,
      streaming: true,
      signal: controller.signal,
      // Cancelled when the second chunk is sent on, as n8n does when the user stops the execution.
      onChunk: (chunk) => chunk.type === 'item' && chunk.content === WORDS[1] && controller.abort(),
      parameters: {
        functionName: 'tokens',
        outputMode: 'chunked',
        payload: '{ "count": 30, "delayMs": 10 }',
      },
    });
    expect(json(output).map((item) => item.type ?? item.code)).toEqual(['chunk', 'chunk', 'ABORTED']);
    expect(output.at(-1)?.json).toMatchObject({
      chunksDelivered: 2,
      partialOutput: WORDS.slice(0, 2).join(''),
    });
  });
});
