// This project's executor through its public API, from the built package (run `npm run build` first).
// `aggregate` picks invoke() (one AggregatedResult) over invokeStream() (start, chunk…, complete).
import { pathToFileURL } from 'node:url';

// BENCH_DIST (set by `run.mjs --dist DIR`) measures another build, e.g. a patched copy, side by side.
const entry = process.env.BENCH_DIST
  ? pathToFileURL(`${process.env.BENCH_DIST}/index.js`).href
  : new URL('../../dist/index.js', import.meta.url).href;
const { invoke, invokeStream } = await import(entry);

/** Large enough for the 256 MiB aggregated RSS scenario; the default cap is 20 MiB. */
const MAX_AGGREGATED_BYTES = 512 * 1024 * 1024;

/** @param {{ port: number, aggregate: boolean, encoding?: 'utf8' | 'base64' | 'bytes' }} options */
export function createClient({ port, aggregate, encoding = 'utf8' }) {
  const settings = {
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'AKIDBENCHMARK', secretAccessKey: 'bench-secret-not-real' },
    outputMode: aggregate ? 'aggregated' : 'chunked',
    outputEncoding: encoding,
    limits: { maxAggregatedBytes: MAX_AGGREGATED_BYTES },
  };
  const inputFor = (fn) => ({ path: { FunctionName: fn }, body: { Payload: {} }, settings });

  const callAggregated = async (fn, hooks) => {
    const result = await invoke(inputFor(fn));
    if (result.statusCode !== 200 || typeof result.executedVersion !== 'string') {
      throw new Error(`ours: unexpected status ${result.statusCode}`);
    }
    if (result.functionError) throw new Error(`ours: function error ${result.functionError.errorCode}`);
    hooks?.onStatus?.();
    return { bytes: result.bytes, result };
  };

  const callChunked = async (fn, hooks) => {
    let bytes = 0;
    let first = true;
    let complete = false;
    for await (const event of invokeStream(inputFor(fn))) {
      switch (event.type) {
        case 'start':
          if (event.statusCode !== 200 || typeof event.executedVersion !== 'string') {
            throw new Error(`ours: unexpected status ${event.statusCode}`);
          }
          hooks?.onStatus?.();
          break;
        case 'chunk':
          if (first) {
            first = false;
            hooks?.onFirstChunk?.();
          }
          bytes += event.size;
          break;
        case 'complete':
          if (event.functionError) throw new Error(`ours: function error ${event.functionError.errorCode}`);
          complete = true;
          break;
        case 'error':
          throw new Error(`ours: ${event.code}: ${event.message}`);
      }
    }
    if (!complete) throw new Error('ours: stream ended without a complete event');
    return { bytes, result: undefined };
  };

  return { call: aggregate ? callAggregated : callChunked, close: () => {}, countsWireBytes: false };
}
