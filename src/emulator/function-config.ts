/**
 * A function's optional configuration, `NAME.config.json` beside the function's file or folder.
 * It is data, read without running the function's code, so the emulator can resolve qualifiers
 * and faults before anything runs (and before the caller is authenticated).
 */
import { checkFaultSpec, type FaultSpec } from './faults.js';
import { RESERVED_VARIABLES } from './reserved-variables.js';

/** What a function's `NAME.config.json` may say. */
export interface FunctionConfig {
  /** Seconds before the invocation is ended as timed out (1–900; Lambda's default, 3). */
  timeout: number;
  /** `context.memoryLimitInMB` (128–10240; default 128). */
  memorySize: number;
  /** Published version numbers (all run the same code here), e.g. `["1", "2"]`. */
  versions: string[];
  /** Alias → version (`$LATEST` or one of `versions`). */
  aliases: Record<string, string>;
  /** Faults applied to every invocation of this function. */
  faults?: FaultSpec;
  /** The function's own environment variables (Lambda's `Environment.Variables`). */
  environment: Record<string, string>;
  /** Reserved concurrency: the most instances at once (over it, `TooManyRequestsException`). */
  reservedConcurrency?: number;
}

/** Lambda's default function timeout. */
export const DEFAULT_TIMEOUT_SECONDS = 3;
export const DEFAULT_MEMORY_MB = 128;

const VARIABLE_NAME = /^[a-zA-Z][a-zA-Z0-9_]+$/;
/** Lambda's limit on the variables of one function, names and values together. */
const MAX_ENVIRONMENT_BYTES = 4096;
const FIELDS = [
  'timeout',
  'memorySize',
  'versions',
  'aliases',
  'faults',
  'environment',
  'reservedConcurrency',
];

const ALIAS_NAME = /^(?!^[0-9]+$)[a-zA-Z0-9_-]{1,128}$/;

/**
 * Check and complete a parsed config file; throws an `Error` naming the file and field.
 * @example
 * checkFunctionConfig({ timeout: 10, versions: ['1'], aliases: { prod: '1' } }, 'echo.config.json')
 */
export function checkFunctionConfig(value: unknown, file: string): FunctionConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${file}: the config must be a JSON object`);
  }
  const raw = value as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (key !== '$comment' && !FIELDS.includes(key)) {
      throw new Error(`${file}: '${key}' is not a config field (${FIELDS.join(', ')})`);
    }
  }
  const config: FunctionConfig = {
    timeout: DEFAULT_TIMEOUT_SECONDS,
    memorySize: DEFAULT_MEMORY_MB,
    versions: [],
    aliases: {},
    environment: {},
  };
  if (raw.timeout !== undefined) {
    if (typeof raw.timeout !== 'number' || !(raw.timeout >= 1 && raw.timeout <= 900)) {
      throw new Error(`${file}: timeout must be a number of seconds from 1 to 900`);
    }
    config.timeout = raw.timeout;
  }
  if (raw.memorySize !== undefined) {
    if (
      !Number.isInteger(raw.memorySize) ||
      (raw.memorySize as number) < 128 ||
      (raw.memorySize as number) > 10240
    ) {
      throw new Error(`${file}: memorySize must be an integer from 128 to 10240`);
    }
    config.memorySize = raw.memorySize as number;
  }
  if (raw.versions !== undefined) {
    if (
      !Array.isArray(raw.versions) ||
      !raw.versions.every((v) => typeof v === 'string' && /^[1-9][0-9]{0,9}$/.test(v))
    ) {
      throw new Error(`${file}: versions must be an array of version numbers as strings, e.g. ["1", "2"]`);
    }
    config.versions = raw.versions as string[];
  }
  if (raw.aliases !== undefined) {
    if (typeof raw.aliases !== 'object' || raw.aliases === null || Array.isArray(raw.aliases)) {
      throw new Error(`${file}: aliases must be an object of alias → version`);
    }
    for (const [alias, version] of Object.entries(raw.aliases)) {
      if (!ALIAS_NAME.test(alias)) throw new Error(`${file}: aliases.${alias} is not a valid alias name`);
      if (typeof version !== 'string' || (version !== '$LATEST' && !config.versions.includes(version))) {
        throw new Error(`${file}: aliases.${alias} must name $LATEST or one of versions`);
      }
      // defineProperty: a plain assignment of `__proto__` would set the prototype, not an alias.
      Object.defineProperty(config.aliases, alias, { value: version, enumerable: true });
    }
  }
  if (raw.faults !== undefined) {
    const problem = checkFaultSpec(raw.faults, `${file}: faults`);
    if (problem !== undefined) throw new Error(problem);
    config.faults = raw.faults as FaultSpec;
  }
  if (raw.environment !== undefined) config.environment = checkEnvironment(raw.environment, file);
  if (raw.reservedConcurrency !== undefined) {
    const n = raw.reservedConcurrency;
    if (!Number.isInteger(n) || (n as number) < 0 || (n as number) > 1000) {
      throw new Error(`${file}: reservedConcurrency must be an integer from 0 to 1000`);
    }
    config.reservedConcurrency = n as number;
  }
  return config;
}

/** The `environment` field: string values, Lambda's name rule, no reserved name, 4 KB in all. */
function checkEnvironment(value: unknown, file: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${file}: environment must be an object of variable name → string value`);
  }
  const out: Record<string, string> = {};
  let bytes = 0;
  for (const [name, v] of Object.entries(value)) {
    if (!VARIABLE_NAME.test(name)) {
      throw new Error(`${file}: environment.${name} is not a valid variable name ([a-zA-Z][a-zA-Z0-9_]+)`);
    }
    if (RESERVED_VARIABLES.includes(name)) {
      throw new Error(`${file}: environment.${name} is reserved by Lambda and cannot be set`);
    }
    if (typeof v !== 'string') throw new Error(`${file}: environment.${name} must be a string`);
    bytes += Buffer.byteLength(name) + Buffer.byteLength(v);
    Object.defineProperty(out, name, { value: v, enumerable: true });
  }
  if (bytes > MAX_ENVIRONMENT_BYTES) {
    throw new Error(`${file}: environment is ${bytes} bytes; Lambda allows at most ${MAX_ENVIRONMENT_BYTES}`);
  }
  return out;
}
