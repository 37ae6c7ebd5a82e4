import { canonicalHeaderNames } from '../definition/accessors.js';
import {
  fingerprint as precompiledFingerprint,
  validate as precompiledValidate,
} from '../definition/generated/validate-task-input.js';
import { createAjv } from '../definition/json-schema/create-ajv.js';
import type { PrecompiledValidator } from '../definition/json-schema/precompiled-validator.js';
import { schemaFingerprint } from '../definition/json-schema/schema-fingerprint.js';
import { toIssues } from '../definition/json-schema/to-issues.js';
import { type LoadedManifest, loadManifest } from '../definition/load-manifest.js';
import { DefinitionError, InputError, type TaskErrorCode, type ValidationIssue } from '../errors.js';
import type { BodyParameters } from '../generated/body.js';
import type { HeaderParameters } from '../generated/headers.js';
import type { PathParameters } from '../generated/path.js';
import type { QueryParameters } from '../generated/query.js';
import type { TaskSettings } from '../generated/settings.js';
import type { TaskInput } from '../generated/task-input.js';

type Settings = TaskSettings;

/** Task settings after defaults: every setting with a default is present. */
export type ResolvedSettings = Omit<Settings, 'timeouts' | 'retry' | 'limits'> &
  Required<
    Pick<Settings, 'useFipsEndpoint' | 'useDualstackEndpoint' | 'outputMode' | 'outputEncoding' | 'framing'>
  > & {
    timeouts: Required<NonNullable<Settings['timeouts']>>;
    retry: Required<NonNullable<Settings['retry']>>;
    limits: Required<NonNullable<Settings['limits']>>;
  };

/**
 * A valid task input with the schemas' defaults filled in and header names in the schema's spelling.
 * Every section is present, so the executor never re-applies a default.
 */
export interface ResolvedTaskInput {
  path: PathParameters;
  headers: HeaderParameters & {
    'Content-Type': string;
    'X-Amz-Invocation-Type': NonNullable<HeaderParameters['X-Amz-Invocation-Type']>;
  };
  query: QueryParameters;
  body: BodyParameters;
  settings: ResolvedSettings;
}

/** Issue keywords that have an error code of their own. */
const KEYWORD_CODES: Record<string, TaskErrorCode> = {
  computed: 'COMPUTED_HEADER',
  maxBytes: 'PAYLOAD_TOO_LARGE',
};

const validators = new WeakMap<LoadedManifest, PrecompiledValidator>();

/**
 * The manifest's input validator, once per loaded manifest. Defaults are on because the validator
 * only ever runs on a copy (see {@link prepare}). When the input schema and its `$ref`s are the ones
 * the package's validator was precompiled from (the packaged definition, unless a schema was edited
 * since `npm run typegen`), that validator serves and ajv is never loaded; any other definition is
 * compiled by ajv here, with the same options and keywords.
 */
function inputValidator(manifest: LoadedManifest): PrecompiledValidator {
  let validate = validators.get(manifest);
  if (validate === undefined) {
    validate =
      schemaFingerprint(manifest.input.uri, manifest.schemas) === precompiledFingerprint
        ? precompiledValidate
        : compileInputValidator(manifest);
    validators.set(manifest, validate);
  }
  return validate;
}

function compileInputValidator(manifest: LoadedManifest): PrecompiledValidator {
  const ajv = createAjv({ useDefaults: true });
  let validate: PrecompiledValidator | undefined;
  try {
    for (const [uri, schema] of manifest.schemas) ajv.addSchema(schema as object, uri);
    validate = ajv.getSchema(manifest.input.uri);
  } catch (error: unknown) {
    const why = error instanceof Error ? error.message : String(error);
    throw new DefinitionError(
      `The input schema ${manifest.input.file} cannot be compiled: ${why}`,
      [
        {
          location: 'manifest',
          path: 'input.schema',
          keyword: 'compile',
          message: `input.schema cannot be compiled: ${why}`,
        },
      ],
      { cause: error },
    );
  }
  if (validate === undefined) {
    throw new DefinitionError(`The input schema ${manifest.input.file} is not registered`);
  }
  return validate;
}

/**
 * A plain object from any realm: its prototype is null or an `Object.prototype` (whose own prototype
 * is null). Comparing with this realm's `Object.prototype` would turn away objects made by
 * `structuredClone` in a worker, a `vm` context or jest, and skip their checks.
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
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
function prepare(input: unknown, manifest: LoadedManifest, issues: ValidationIssue[]): unknown {
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

/** The payload's size on the wire, or an issue when it cannot be serialised. */
function checkPayload(copy: unknown, manifest: LoadedManifest, issues: ValidationIssue[]): void {
  if (!isPlainObject(copy) || !isPlainObject(copy.body)) return;
  const { member, maxBytes, fileReferencePrefix } = manifest.body;
  const payload = copy.body[member];
  const path = `body.${member}`;
  let bytes: number;
  if (payload === undefined) return;
  if (typeof payload === 'string') {
    // A file reference is measured when the request builder reads the file.
    if (fileReferencePrefix !== undefined && payload.startsWith(fileReferencePrefix)) return;
    bytes = Buffer.byteLength(payload, 'utf8');
  } else if (payload instanceof Uint8Array) {
    bytes = payload.byteLength;
  } else {
    let text: string | undefined;
    try {
      text = JSON.stringify(payload);
    } catch {
      text = undefined;
    }
    if (text === undefined) {
      issues.push({
        location: 'body',
        path,
        keyword: 'type',
        message: `${path} must be a JSON value, a string or a ${fileReferencePrefix ?? 'file'} reference (it cannot be serialised as JSON)`,
      });
      return;
    }
    bytes = Buffer.byteLength(text, 'utf8');
  }
  if (bytes > maxBytes) {
    issues.push({
      location: 'body',
      path,
      keyword: 'maxBytes',
      message: `${path} is ${bytes.toLocaleString('en-US')} bytes once serialised; the service accepts at most ${maxBytes.toLocaleString('en-US')} bytes (6 MB)`,
    });
  }
}

function check(input: unknown, manifest: LoadedManifest): { issues: ValidationIssue[]; value: unknown } {
  const validate = inputValidator(manifest);
  const issues: ValidationIssue[] = [];
  const copy = prepare(input, manifest, issues);
  if (!validate(copy)) issues.push(...toIssues(validate.errors, { rootName: 'the task input' }));
  checkPayload(copy, manifest, issues);
  return { issues, value: copy };
}

function inputError(issues: readonly ValidationIssue[]): InputError {
  const codes = new Set(issues.map((i) => KEYWORD_CODES[i.keyword] ?? 'INVALID_INPUT'));
  const [only] = codes;
  const code: TaskErrorCode = codes.size === 1 && only !== undefined ? only : 'INVALID_INPUT';
  const shown = issues.slice(0, 5).map((i) => i.message);
  if (issues.length > shown.length) shown.push(`and ${issues.length - shown.length} more`);
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return new InputError(code, `The task input is invalid (${count}): ${shown.join('; ')}`, issues);
}

/**
 * Checks a task input `{ path, headers, query, body, settings }` against the definition and returns
 * every problem found (empty when valid). Header names match case-insensitively. Besides the JSON
 * Schemas it applies the rules they cannot state: a plain function name is at most 64 characters
 * (ARNs up to 256), `X-Amz-Client-Context` decodes to at most 3,583 bytes, signer-computed headers
 * are refused (keyword `computed`), and an inline payload is at most 6 MB once serialised (keyword
 * `maxBytes`; a `file://` payload is measured when it is read). The input is never modified.
 *
 * @param manifest the definition to check against; the package's own by default.
 * @example
 * validateInput({ path: { FunctionName: 'my-fn' }, headers: { 'X-Amz-Log-Type': 'tail' } });
 * // [{ location: 'headers', path: 'headers.X-Amz-Log-Type', keyword: 'enum',
 * //    message: 'headers.X-Amz-Log-Type must be one of Tail, None' }]
 */
export function validateInput(input: unknown, manifest: LoadedManifest = loadManifest()): ValidationIssue[] {
  return check(input, manifest).issues;
}

/**
 * Throws unless the input is valid; afterwards TypeScript treats it as a {@link TaskInput}.
 * The error's code is `COMPUTED_HEADER` or `PAYLOAD_TOO_LARGE` when every issue is of that kind,
 * else `INVALID_INPUT`; `issues` lists them all.
 *
 * @throws InputError
 * @example
 * assertValidInput(JSON.parse(text)); // throws InputError('INVALID_INPUT', …, issues)
 */
export function assertValidInput(
  input: unknown,
  manifest: LoadedManifest = loadManifest(),
): asserts input is TaskInput {
  const { issues } = check(input, manifest);
  if (issues.length > 0) throw inputError(issues);
}

/**
 * Validates the input and returns a copy with the schemas' defaults filled in (`Content-Type:
 * application/json`, `outputMode: 'aggregated'`, the timeouts…) and header names in the schema's
 * spelling. The caller's object, and in particular its payload, is left untouched.
 *
 * @throws InputError when the input is invalid (as {@link assertValidInput}).
 * @example
 * withDefaults({ path: { FunctionName: 'my-fn' } }).settings.timeouts.idleMs; // 300000
 */
export function withDefaults(input: unknown, manifest: LoadedManifest = loadManifest()): ResolvedTaskInput {
  const { issues, value } = check(input, manifest);
  if (issues.length > 0) throw inputError(issues);
  return value as ResolvedTaskInput;
}
