import { describe, expect, it } from '@jest/globals';
import { encodeInvokeComplete } from '../../src/emulator/encode-invoke-complete.js';
import { encodePayloadChunk } from '../../src/emulator/encode-payload-chunk.js';
import { invokeStream } from '../../src/execute.js';
import { startStreamServer, streamHeaders } from '../support/stream-server.js';
import { inputFor, quietContext } from './helpers.js';

const CHUNK = 64 * 1024;
const TOTAL = 256 * 1024 * 1024;
const LIMIT = 64 * 1024 * 1024;

const gc = (globalThis as { gc?: () => void }).gc;

describe('chunked mode holds memory flat', () => {
  it('streams 256 MiB through a consumer with heap growth under 64 MiB', async () => {
    // One pre-encoded message written over and over, so the server costs nothing per chunk.
    const message = encodePayloadChunk(Buffer.alloc(CHUNK, 0x61));
    const server = await startStreamServer();
    server.respond(async (_req, res) => {
      res.writeHead(200, streamHeaders());
      for (let sent = 0; sent < TOTAL && !res.destroyed; sent += CHUNK) {
        if (!res.write(message)) await new Promise((r) => res.once('drain', r));
      }
      res.end(encodeInvokeComplete({}));
    });
    try {
      gc?.();
      const baseline = process.memoryUsage().heapUsed;
      let peak = baseline;
      let bytes = 0;
      let n = 0;
      let completeBytes = -1;
      for await (const event of invokeStream(inputFor(server.url), quietContext())) {
        if (event.type === 'chunk') {
          bytes += event.size;
          if (++n % 256 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
        } else if (event.type === 'complete') completeBytes = event.bytes;
        else if (event.type === 'error') throw new Error(event.message);
      }
      expect(bytes).toBe(TOTAL);
      expect(completeBytes).toBe(TOTAL);
      expect(peak - baseline).toBeLessThan(LIMIT);
    } finally {
      await server.close();
    }
  }, 120_000);
});
