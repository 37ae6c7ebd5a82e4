// The limit: node:http with a keep-alive agent reading the same bytes, no signing, no decoding.
import { Buffer } from 'node:buffer';
import http from 'node:http';

const BODY = Buffer.from('{}');

/** @param {{ port: number, aggregate: boolean }} options */
export function createClient({ port, aggregate }) {
  const agent = new http.Agent({ keepAlive: true });
  const call = (fn, hooks) =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: `/2021-11-15/functions/${encodeURIComponent(fn)}/response-streaming-invocations`,
          agent,
          headers: { 'content-type': 'application/json', 'content-length': BODY.length },
        },
        (res) => {
          if (res.statusCode !== 200 || typeof res.headers['x-amz-executed-version'] !== 'string') {
            reject(new Error(`raw: unexpected status ${res.statusCode}`));
            res.resume();
            return;
          }
          hooks?.onStatus?.();
          let bytes = 0;
          const parts = aggregate ? [] : undefined;
          let first = true;
          res.on('data', (chunk) => {
            if (first) {
              first = false;
              hooks?.onFirstChunk?.();
            }
            bytes += chunk.length;
            parts?.push(chunk);
          });
          res.on('end', () => resolve({ bytes, result: parts ? Buffer.concat(parts, bytes) : undefined }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(BODY);
    });
  return { call, close: () => agent.destroy(), countsWireBytes: true };
}
