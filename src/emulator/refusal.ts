/**
 * A step of the request pipeline either yields its result or refuses the request with the
 * service's error answer; the composer sends the refusal, so no step writes to the response.
 */
import type { ServiceErrorAnswer } from './service-errors.js';

/** The answer a step refused the request with. */
export interface Refusal {
  refused: ServiceErrorAnswer;
}

/**
 * A refusal.
 * @example
 * return refuse(404, 'ResourceNotFoundException', `Function not found: ${arn}`);
 */
export function refuse(
  status: number,
  type: string,
  message: string,
  extra?: Record<string, unknown>,
  headers?: Record<string, string>,
): Refusal {
  const refused: ServiceErrorAnswer = { status, type, message };
  if (extra) refused.extra = extra;
  if (headers) refused.headers = headers;
  return { refused };
}

/** True when a step refused. */
export function isRefusal(value: unknown): value is Refusal {
  return typeof value === 'object' && value !== null && 'refused' in value;
}
