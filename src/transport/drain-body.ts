import type { ResponseBody } from './response-body.js';

/** What is read after a response's last message, at most, before the connection is given up. */
export interface DrainLimits {
  maxBytes: number;
  maxMs: number;
}

/**
 * After the completion event the service ends the body at once; reading that end lets the keep-alive
 * connection be reused. A peer that instead stays silent (the call waited out the idle timeout, 300 s
 * by default) or keeps sending (read at full speed until the connection broke) gets 64 KiB and 200 ms.
 */
export const DRAIN_AFTER_COMPLETE: DrainLimits = { maxBytes: 64 * 1024, maxMs: 200 };

/**
 * Read what is left of a body within `limits`, then close it: whether it ended (the connection is
 * reusable) or was cut (the socket is destroyed). Failures while draining are ignored: the call's
 * result is already known.
 * @example
 * await drainBody(body) // after the completion event
 */
export async function drainBody(
  body: ResponseBody,
  limits: DrainLimits = DRAIN_AFTER_COMPLETE,
): Promise<boolean> {
  let ended = false;
  let bytes = 0;
  // Closing settles a read in progress (with done), so the loop below ends when the time is up.
  const timer = setTimeout(() => void body.return(), limits.maxMs);
  try {
    for (;;) {
      const read = await body.next();
      if (read.done) {
        ended = bytes <= limits.maxBytes;
        break;
      }
      bytes += read.value.byteLength;
      if (bytes > limits.maxBytes) break;
    }
  } catch {
    // The connection failed after the last message: nothing to add to the result.
  } finally {
    clearTimeout(timer);
    await body.return();
  }
  return ended;
}
