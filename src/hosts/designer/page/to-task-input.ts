/**
 * Form data to task input: empty groups dropped, and the body member (edited as JSON text) parsed.
 * A payload that is not JSON is an issue of the page's own, found before anything is sent.
 */
import type { ValidationIssue } from './types.js';

type Json = { [key: string]: unknown };

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Objects without their undefined members and empty objects. */
function pruned(value: unknown): unknown {
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [key, member] of Object.entries(value)) {
    const kept = pruned(member);
    if (kept !== undefined && !(isObject(kept) && Object.keys(kept).length === 0)) out[key] = kept;
  }
  return out;
}

/**
 * The task input of some form data, and the payload's JSON issue if it has one.
 * @example
 * toTaskInput({ path: { FunctionName: 'tokens' }, body: { Payload: '{"count":3}' } }, 'Payload')
 */
export function toTaskInput(data: unknown, bodyMember: string): { input: Json; issues: ValidationIssue[] } {
  const input = (pruned(data) ?? {}) as Json;
  const body = isObject(input.body) ? input.body : undefined;
  const text = body?.[bodyMember];
  if (body === undefined || typeof text !== 'string') return { input, issues: [] };
  if (text.trim() === '') {
    delete body[bodyMember];
    return { input, issues: [] };
  }
  try {
    return { input: { ...input, body: { ...body, [bodyMember]: JSON.parse(text) as unknown } }, issues: [] };
  } catch (error) {
    const path = `body.${bodyMember}`;
    const why = error instanceof Error ? error.message : String(error);
    const message = `${path} is not valid JSON (${why}); to send text, write it as a JSON string in quotes`;
    return { input, issues: [{ location: 'body', path, keyword: 'json', message }] };
  }
}
