import { toIssues } from '../definition/json-schema/to-issues.js';
import { loadManifest } from '../definition/load-manifest.js';
import type { LoadedManifest } from '../definition/loaded-manifest.js';
import { InputError, type TaskErrorCode, type ValidationIssue } from '../errors.js';
import type { BodyParameters } from '../generated/body.js';
import type { HeaderParameters } from '../generated/headers.js';
import type { PathParameters } from '../generated/path.js';
import type { QueryParameters } from '../generated/query.js';
import type { TaskSettings } from '../generated/settings.js';
import type { TaskInput } from '../generated/task-input.js';
import { checkPayload } from './check-payload.js';
import { copyInput } from './copy-input.js';
import { inputValidator } from './input-validator.js';

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
  /** The header parameters, defaults filled (the content type, the invocation type…). */
  headers: HeaderParameters & Record<string, string>;
  query: QueryParameters;
  body: BodyParameters;
  settings: ResolvedSettings;
}

/** Issue keywords that have an error code of their own. */
const KEYWORD_CODES: Record<string, TaskErrorCode> = {
  computed: 'COMPUTED_HEADER',
  maxBytes: 'PAYLOAD_TOO_LARGE',
};

function check(input: unknown, manifest: LoadedManifest): { issues: ValidationIssue[]; value: unknown } {
  const validate = inputValidator(manifest);
  const issues: ValidationIssue[] = [];
  const copy = copyInput(input, manifest, issues);
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
