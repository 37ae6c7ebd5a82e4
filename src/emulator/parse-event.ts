/** The invoke payload: empty means `{}`, anything else must be JSON, as the service requires. */
import { type Refusal, refuse } from './refusal.js';

/**
 * Parse the payload.
 * @example
 * parseEvent(Buffer.from('{"a":1}')) // { event: { a: 1 } }
 */
export function parseEvent(body: Buffer): { event: unknown } | Refusal {
  if (body.length === 0) return { event: {} };
  try {
    return { event: JSON.parse(body.toString('utf8')) };
  } catch (error: unknown) {
    return refuse(
      400,
      'InvalidRequestContentException',
      `Could not parse request body into json: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
