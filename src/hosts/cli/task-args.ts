/**
 * The flags `run` and `test` share, turned into a task input: `--input FILE` (a whole task input that
 * the other flags override), one flag per parameter of the definition, and the settings flags.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { InputError, type ValidationIssue } from '../../index.js';
import {
  type DefinitionFlags,
  definitionFlags,
  type ParameterFlag,
  type SettingFlag,
} from './definition-flags.js';
import { loadDefinition, manifestArg } from './load-definition.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

/** A parsed command line: the task input, every flag's value, and the definition's flags. */
export interface TaskArgs {
  input: Record<string, unknown>;
  values: Values;
  flags: DefinitionFlags;
}

function issue(flag: string, path: string, keyword: string, message: string): ValidationIssue {
  return { location: 'input', path, keyword, message: `--${flag} ${message}` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function optionsFor(flags: DefinitionFlags, extra: Options): Options {
  const options: Options = {
    input: { type: 'string' },
    manifest: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  };
  for (const f of [...flags.parameters, ...flags.settings]) options[f.flag] = { type: 'string' };
  return { ...options, ...extra };
}

async function readInputFile(file: string, cwd: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError('INVALID_INPUT', `--input ${file} cannot be read: ${(error as Error).message}`, [
      issue('input', 'input', 'file', `cannot be read: ${code}`),
    ]);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (!isRecord(value)) throw new Error('not an object');
    return value;
  } catch (error) {
    throw new InputError(
      'INVALID_INPUT',
      `--input ${file} must hold a JSON object (${(error as Error).message})`,
      [issue('input', 'input', 'json', 'must hold a JSON object (a task input)')],
    );
  }
}

/** `value` copied into `input[keys[0]][keys[1]]…`, copying each object on the way (the file's stay intact). */
function setIn(input: Record<string, unknown>, keys: readonly string[], value: unknown): void {
  let target = input;
  keys.forEach((key, i) => {
    if (i === keys.length - 1) {
      target[key] = value;
      return;
    }
    const copy = isRecord(target[key]) ? { ...target[key] } : {};
    target[key] = copy;
    target = copy;
  });
}

/** A parameter flag's value as the task input holds it; `undefined` (with an issue) when it cannot be. */
function parameterValue(
  p: ParameterFlag,
  raw: string,
  flags: DefinitionFlags,
  cwd: string,
  issues: ValidationIssue[],
): unknown {
  if (!p.body) return raw;
  const prefix = flags.fileReferencePrefix;
  if (prefix !== undefined && raw.startsWith(prefix))
    return `${prefix}${resolve(cwd, raw.slice(prefix.length))}`;
  if (!flags.jsonBody) return raw;
  try {
    JSON.parse(raw);
    // The JSON text itself is the body, byte for byte, as the AWS CLI sends it.
    return raw;
  } catch {
    const or = prefix === undefined ? '' : ` or ${prefix}PATH`;
    issues.push(issue(p.flag, `body.${p.name}`, 'format', `must be JSON text${or}`));
    return undefined;
  }
}

/** A settings flag's value as the settings schema types it (flags are text; settings are not coerced). */
function settingValue(s: SettingFlag, raw: string, issues: ValidationIssue[]): unknown {
  const path = `settings.${s.path.join('.')}`;
  if (s.type === 'integer' || s.type === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || (s.type === 'integer' && !Number.isInteger(n))) {
      const what = s.type === 'integer' ? 'a whole number' : 'a number';
      issues.push(issue(s.flag, path, 'type', `must be ${what}, got '${raw}'`));
      return undefined;
    }
    return n;
  }
  if (s.type === 'boolean') {
    if (raw === 'true' || raw === 'false') return raw === 'true';
    issues.push(issue(s.flag, path, 'type', `must be true or false, got '${raw}'`));
    return undefined;
  }
  return raw;
}

/**
 * Parse `run`/`test` arguments (with `extra` options for the command) into a task input for the
 * definition given by `--manifest` (default: the packaged one). Throws an `InputError` naming the flag
 * for anything that cannot become input, and a `DefinitionError` for a broken definition.
 * @example
 * const { input, flags } = await parseTaskArgs(['--input', 'task.json', '--region', 'eu-west-1'], io.cwd, {})
 */
export async function parseTaskArgs(args: string[], cwd: string, extra: Options): Promise<TaskArgs> {
  const flags = definitionFlags(loadDefinition(manifestArg(args), cwd));
  let values: Values;
  try {
    values = parseArgs({ args, options: optionsFor(flags, extra), strict: true, allowPositionals: false })
      .values as Values;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new InputError('INVALID_INPUT', message, [
      { location: 'input', path: 'argv', keyword: 'argv', message },
    ]);
  }
  if (values.help) return { input: {}, values, flags };
  const input = typeof values.input === 'string' ? await readInputFile(values.input, cwd) : {};
  const issues: ValidationIssue[] = [];
  for (const p of flags.parameters) {
    const raw = values[p.flag];
    if (typeof raw !== 'string') continue;
    const value = parameterValue(p, raw, flags, cwd, issues);
    if (value !== undefined) setIn(input, [p.location, p.name], value);
  }
  for (const s of flags.settings) {
    const raw = values[s.flag];
    if (typeof raw !== 'string') continue;
    const value = settingValue(s, raw, issues);
    if (value !== undefined) setIn(input, ['settings', ...s.path], value);
  }
  if (issues.length > 0) {
    throw new InputError('INVALID_INPUT', issues.map((i) => i.message).join('; '), issues);
  }
  return { input, values, flags };
}
