/**
 * Reads a request body up to a limit without ever holding more than the limit: a declared
 * `Content-Length` over it is refused before a byte is read, and a chunked body is refused as soon
 * as the bytes so far pass it; every byte held counts against the emulator's body budget.
 */
import type { IncomingMessage } from 'node:http';
import type { BodyBudget } from './body-budget.js';

/** Lambda's synchronous request payload limit (6 MB). */
export const MAX_REQUEST_BYTES = 6_291_456;

export type BodyResult =
  | { ok: true; body: Buffer }
  | { ok: false; reason: 'too-large' | 'aborted' | 'busy'; bytes: number };

/** True when the declared length alone is over the limit. */
export function declaredTooLarge(req: IncomingMessage, limit: number): boolean {
  const declared = req.headers['content-length'];
  return declared !== undefined && Number(declared) > limit;
}

/**
 * Read the whole body if it fits in `limit` bytes and in the budget (`busy` when it does not).
 * @example
 * const read = await readRequestBody(req, MAX_REQUEST_BYTES, budget);
 */
export function readRequestBody(
  req: IncomingMessage,
  limit: number,
  budget: BodyBudget,
): Promise<BodyResult> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  // A declared length is reserved whole, so a slow sender cannot hold more than it declared.
  let reserved = Number.isFinite(declared) && declared >= 0 ? declared : 0;
  if (!budget.reserve(reserved)) return Promise.resolve({ ok: false, reason: 'busy', bytes: 0 });
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let bytes = 0;
    let done = false;
    const finish = (result: BodyResult): void => {
      if (done) return;
      done = true;
      budget.release(reserved);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onAborted);
      req.off('error', onAborted);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > reserved) {
        if (!budget.reserve(bytes - reserved)) {
          parts.length = 0;
          finish({ ok: false, reason: 'busy', bytes });
          return;
        }
        reserved = bytes;
      }
      if (bytes > limit) {
        parts.length = 0;
        finish({ ok: false, reason: 'too-large', bytes });
        return;
      }
      parts.push(chunk);
    };
    const onEnd = (): void => finish({ ok: true, body: Buffer.concat(parts, bytes) });
    const onAborted = (): void => finish({ ok: false, reason: 'aborted', bytes });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onAborted);
    req.on('error', onAborted);
  });
}

/**
 * After an early answer, let the rest of the body drain into nothing so the client, still
 * sending, reads the answer instead of a reset; a body far past the limit ends the connection.
 */
export function discardRequestBody(req: IncomingMessage, limit: number): void {
  let bytes = 0;
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > limit * 4) req.socket.destroy();
  });
  req.on('error', () => {});
  req.resume();
}
