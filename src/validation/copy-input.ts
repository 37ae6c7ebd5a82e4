import { canonicalHeaderNames } from '../definition/accessors.js';
import type { LoadedManifest } from '../definition/loaded-manifest.js';
import type { ValidationIssue } from '../errors.js';

/**
 * A plain object from any realm: its prototype is null or an `Object.prototype` (whose own prototype
 * is null). Comparing with this realm's `Object.prototype` would turn away objects made by
 * `structuredClone` in a worker, a `vm` context or jest, and skip their checks.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * Set an own data property. A `__proto__` key read from JSON must stay an ordinary key (which
 * `additionalProperties: false` then rejects) instead of replacing the copy's prototype, so it is
 * defined rather than assigned.
 */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else target[key] = value;
}

/** A shallow copy of a plain object's own enumerable properties (no intermediate entry arrays). */
function copyObject(
  value: Record<string, unknown>,
  copyValue?: (v: unknown) => unknown,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    setOwn(out, key, copyValue === undefined ? value[key] : copyValue(value[key]));
  }
  return out;
}

/** A deep copy of JSON-like data (plain objects and arrays; other values as they are). */
function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (isPlainObject(value)) return copyObject(value, cloneJson);
  return value;
}

/**
 * HTTP header names are case-insensitive, so `x-amz-log-type` in an input means `X-Amz-Log-Type`.
 * Names are rewritten to the schema's spelling before validating, so the schema (which is
 * case-sensitive, like all JSON Schema) sees the canonical name and issues name it the same way.
 * Unknown names are kept as written and reported by `additionalProperties`.
 */
function normaliseHeaders(
  headers: Record<string, unknown>,
  canonical: ReadonlyMap<string, string>,
  issues: ValidationIssue[],
): Record<string, unknown> {
  const entries: [string, unknown][] = [];
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    const canon = canonical.get(name.toLowerCase()) ?? name;
    if (seen.has(canon)) {
      issues.push({
        location: 'headers',
        path: `headers.${canon}`,
        keyword: 'duplicate',
        message: `headers.${canon} is set more than once (header names are case-insensitive)`,
      });
      continue;
    }
    seen.add(canon);
    entries.push([canon, value]);
  }
  return Object.fromEntries(entries);
}

/**
 * The copy that is validated and, when valid, handed to the executor: header names canonical,
 * missing sections present (so nested defaults apply), the body shallow-copied (defaults never reach
 * into the payload, and the caller's objects are never changed).
 */
export function copyInput(input: unknown, manifest: LoadedManifest, issues: ValidationIssue[]): unknown {
  if (!isPlainObject(input)) return input;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(input)) {
    const value = input[key];
    if (key === 'headers' && isPlainObject(value)) {
      copy[key] = normaliseHeaders(value, canonicalHeaderNames(manifest), issues);
    } else if (key === 'body' && isPlainObject(value)) copy[key] = copyObject(value);
    else if (key === 'path' || key === 'query' || key === 'settings') copy[key] = cloneJson(value);
    else setOwn(copy, key, value);
  }
  for (const section of ['headers', 'query', 'body', 'settings']) {
    if (copy[section] === undefined) copy[section] = {};
  }
  const settings = copy.settings;
  if (isPlainObject(settings)) {
    for (const group of ['timeouts', 'retry', 'limits']) {
      if (settings[group] === undefined) settings[group] = {};
    }
  }
  return copy;
}
