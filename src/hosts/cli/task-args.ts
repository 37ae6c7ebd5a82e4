/**
 * The flags `run` and `test` share: the AWS CLI's names for this operation, plus `--input FILE` (a
 * whole task input that the flags override), output shape, timeouts and retries.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { InputError, type ValidationIssue } from '../../errors.js';

export const TASK_OPTIONS = {
  'function-name': { type: 'string' },
  qualifier: { type: 'string' },
  payload: { type: 'string' },
  'log-type': { type: 'string' },
  'client-context': { type: 'string' },
  'invocation-type': { type: 'string' },
  'tenant-id': { type: 'string' },
  region: { type: 'string' },
  'endpoint-url': { type: 'string' },
  profile: { type: 'string' },
  input: { type: 'string' },
  output: { type: 'string' },
  encoding: { type: 'string' },
  framing: { type: 'string' },
  'connect-timeout-ms': { type: 'string' },
  'first-byte-timeout-ms': { type: 'string' },
  'idle-timeout-ms': { type: 'string' },
  'total-timeout-ms': { type: 'string' },
  'max-attempts': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** The option list for `--help`. */
export const TASK_OPTIONS_HELP = `Call (the AWS CLI's names):
  --function-name NAME        function name, name:qualifier, or (partial) ARN      (path.FunctionName)
  --qualifier Q               version or alias                                      (query.Qualifier)
  --payload JSON|file://PATH  the request payload: JSON text, or a file read at call time
  --log-type None|Tail        Tail: include the last 4 KB of the function's log
  --client-context BASE64     client context for the function
  --invocation-type RequestResponse|DryRun
                              DryRun: check parameters and permission, run nothing
  --tenant-id ID              tenant of a multi-tenant function
  --region REGION             else AWS_REGION, AWS_DEFAULT_REGION, the profile
  --endpoint-url URL          e.g. http://127.0.0.1:9000 for the emulator
  --profile NAME              shared config/credentials profile (else AWS_PROFILE)
  --input FILE                a whole task input (JSON); the flags above override it

Output and limits:
  --output aggregated|chunked     default aggregated
  --encoding utf8|base64          chunk data encoding (chunked), default utf8
  --framing chunk|line            chunked: one event per chunk or per line, default chunk
  --connect-timeout-ms N          default 10000
  --first-byte-timeout-ms N       request sent → response headers, default 60000
  --idle-timeout-ms N             longest quiet gap in the stream, default 300000
  --total-timeout-ms N            whole call, default 960000
  --max-attempts N                attempts including retries, default 3
  --json                          machine-readable output and errors (JSON)
  -h, --help                      this help

Credentials come from the usual AWS chain (environment, --profile, SSO, instance roles).`;

type Values = ReturnType<typeof parseArgs<{ options: typeof TASK_OPTIONS; strict: true }>>['values'];

function issue(flag: string, path: string, keyword: string, message: string): ValidationIssue {
  return { location: 'input', path, keyword, message: `--${flag} ${message}` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Parse `run`/`test` arguments (with `extra` options for the command) into a task input.
 * Throws an `InputError` naming the flag for anything that cannot become input.
 * @example
 * const { input } = await parseTaskArgs(['--function-name', 'echo'], io)
 */
export async function parseTaskArgs<Extra extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  cwd: string,
  extra: Extra,
): Promise<{ input: Record<string, unknown>; values: Values & Record<keyof Extra, unknown> }> {
  let parsed: { values: Record<string, unknown> };
  try {
    parsed = parseArgs({
      args,
      options: { ...TASK_OPTIONS, ...extra },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new InputError('INVALID_INPUT', message, [
      { location: 'input', path: 'argv', keyword: 'argv', message },
    ]);
  }
  const values = parsed.values as Values & Record<keyof Extra, unknown>;
  if (values.help) return { input: {}, values };
  const issues: ValidationIssue[] = [];

  let input: Record<string, unknown> = {};
  if (values.input !== undefined) {
    let text: string;
    try {
      text = await readFile(resolve(cwd, values.input), 'utf8');
    } catch (error) {
      throw new InputError(
        'INVALID_INPUT',
        `--input ${values.input} cannot be read: ${(error as Error).message}`,
        [
          issue(
            'input',
            'input',
            'file',
            `cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
          ),
        ],
      );
    }
    try {
      const value: unknown = JSON.parse(text);
      if (!isRecord(value)) throw new Error('not an object');
      input = value;
    } catch (error) {
      throw new InputError(
        'INVALID_INPUT',
        `--input ${values.input} must hold a JSON object (${(error as Error).message})`,
        [issue('input', 'input', 'json', 'must hold a JSON object (a task input)')],
      );
    }
  }
  const section = (name: string): Record<string, unknown> => {
    const current = input[name];
    const copy = isRecord(current) ? { ...current } : {};
    input[name] = copy;
    return copy;
  };
  const set = (name: string, key: string, value: unknown): void => {
    if (value !== undefined) section(name)[key] = value;
  };

  set('path', 'FunctionName', values['function-name']);
  set('query', 'Qualifier', values.qualifier);
  set('headers', 'X-Amz-Log-Type', values['log-type']);
  set('headers', 'X-Amz-Client-Context', values['client-context']);
  set('headers', 'X-Amz-Invocation-Type', values['invocation-type']);
  set('headers', 'X-Amz-Tenant-Id', values['tenant-id']);
  if (values.payload !== undefined) {
    const payload = values.payload;
    if (payload.startsWith('file://')) {
      set('body', 'Payload', `file://${resolve(cwd, payload.slice('file://'.length))}`);
    } else {
      try {
        JSON.parse(payload);
        // The JSON text itself is the body, byte for byte, as the AWS CLI sends it.
        set('body', 'Payload', payload);
      } catch {
        issues.push(issue('payload', 'body.Payload', 'format', 'must be JSON text or file://PATH'));
      }
    }
  }
  set('settings', 'region', values.region);
  set('settings', 'endpoint', values['endpoint-url']);
  set('settings', 'profile', values.profile);
  set('settings', 'outputMode', values.output);
  set('settings', 'outputEncoding', values.encoding);
  set('settings', 'framing', values.framing);

  const integer = (flag: keyof Values & string, path: string): number | undefined => {
    const raw = values[flag];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (typeof raw !== 'string' || raw.trim() === '' || !Number.isInteger(n)) {
      issues.push(issue(flag, path, 'type', `must be a whole number, got '${String(raw)}'`));
      return undefined;
    }
    return n;
  };
  const timeouts: Array<[keyof Values & string, string]> = [
    ['connect-timeout-ms', 'connectMs'],
    ['first-byte-timeout-ms', 'firstByteMs'],
    ['idle-timeout-ms', 'idleMs'],
    ['total-timeout-ms', 'totalMs'],
  ];
  for (const [flag, key] of timeouts) {
    const n = integer(flag, `settings.timeouts.${key}`);
    if (n !== undefined) {
      const settings = section('settings');
      settings.timeouts = { ...(isRecord(settings.timeouts) ? settings.timeouts : {}), [key]: n };
    }
  }
  const attempts = integer('max-attempts', 'settings.retry.maxAttempts');
  if (attempts !== undefined) {
    const settings = section('settings');
    settings.retry = { ...(isRecord(settings.retry) ? settings.retry : {}), maxAttempts: attempts };
  }
  if (issues.length > 0) {
    throw new InputError('INVALID_INPUT', issues.map((i) => i.message).join('; '), issues);
  }
  for (const name of ['query', 'headers', 'body', 'settings']) {
    if (isRecord(input[name]) && Object.keys(input[name]).length === 0) delete input[name];
  }
  return { input, values };
}
