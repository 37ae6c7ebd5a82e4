// The reference: @aws-sdk/client-lambda with default settings, only the endpoint, region and static
// credentials set, consuming EventStream to the end as an application would.
import { Buffer } from 'node:buffer';
import { InvokeWithResponseStreamCommand, LambdaClient } from '@aws-sdk/client-lambda';

const PAYLOAD = new TextEncoder().encode('{}');

/** @param {{ port: number, aggregate: boolean }} options */
export function createClient({ port, aggregate }) {
  const client = new LambdaClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'AKIDBENCHMARK', secretAccessKey: 'bench-secret-not-real' },
  });
  const call = async (fn, hooks) => {
    const out = await client.send(
      new InvokeWithResponseStreamCommand({ FunctionName: fn, Payload: PAYLOAD }),
    );
    if (out.StatusCode !== 200 || typeof out.ExecutedVersion !== 'string') {
      throw new Error(`sdk: unexpected status ${out.StatusCode}`);
    }
    hooks?.onStatus?.();
    let bytes = 0;
    let first = true;
    let complete = false;
    const parts = aggregate ? [] : undefined;
    for await (const event of out.EventStream ?? []) {
      const payload = event.PayloadChunk?.Payload;
      if (payload) {
        if (first) {
          first = false;
          hooks?.onFirstChunk?.();
        }
        bytes += payload.length;
        parts?.push(payload);
      } else if (event.InvokeComplete) {
        if (event.InvokeComplete.ErrorCode)
          throw new Error(`sdk: function error ${event.InvokeComplete.ErrorCode}`);
        complete = true;
      }
    }
    if (!complete) throw new Error('sdk: stream ended without InvokeComplete');
    return { bytes, result: parts ? Buffer.concat(parts, bytes) : undefined };
  };
  return { call, close: () => client.destroy(), countsWireBytes: false };
}
