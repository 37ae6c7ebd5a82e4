/**
 * The command-line flags a definition gives `run` and `test`: one per parameter of its path, header,
 * query and body schemas (named for the schema `title`), and the settings flags mapped onto the
 * setting names its call plan declares. The only module of the CLI that reads a loaded definition,
 * so the commands know nothing of the API beyond what it says.
 */
import type { LoadedManifest, ParameterLocation } from '../../index.js';

type Schema = { readonly [key: string]: unknown };

/** A flag for one parameter of the definition. */
export interface ParameterFlag {
  /** The flag without its dashes: the kebab-cased schema title (`Log type` → `log-type`). */
  readonly flag: string;
  readonly location: ParameterLocation;
  /** The parameter's name in the task input (its wire name). */
  readonly name: string;
  readonly required: boolean;
  /** The value's shape for the help: `Tail|None`, `TEXT`, `JSON|file://PATH`. */
  readonly values: string;
  readonly description: string;
  /** The schema's first example as flag text, for the help's example line. */
  readonly example: string | undefined;
  /** True for the body member, the whole request body (JSON text or a file reference). */
  readonly body: boolean;
}

/** A flag for one setting. */
export interface SettingFlag {
  readonly flag: string;
  /** Where the value goes in `settings` (one or two keys deep). */
  readonly path: readonly string[];
  readonly type: string;
  readonly values: string;
  readonly description: string;
}

/** Everything the CLI takes from a definition. */
export interface DefinitionFlags {
  readonly manifest: LoadedManifest;
  /** `displayName (operation)`, for the help. */
  readonly title: string;
  readonly parameters: readonly ParameterFlag[];
  readonly settings: readonly SettingFlag[];
  /** The body's file reference prefix (`file://`), when the definition allows file bodies. */
  readonly fileReferencePrefix: string | undefined;
  /** Whether the body must be JSON text (its default content type is a JSON type). */
  readonly jsonBody: boolean;
  /** The setting names the definition declares that the CLI reads itself. */
  readonly names: { readonly profile: string };
  /** The environment variables the definition reads, first of each list (for hosts that set them). */
  readonly env: {
    readonly region: string | undefined;
    readonly endpoint: string | undefined;
    readonly profile: string;
  };
}

/** The flags of the command itself; a parameter whose title collides gets its location as prefix. */
export const FIXED_FLAGS: ReadonlySet<string> = new Set(['input', 'manifest', 'json', 'help', 'raw']);

/** The CLI's settings flags: the flag, and where its value goes (read from the definition). */
const SETTING_FLAGS: ReadonlyArray<readonly [string, (m: LoadedManifest) => readonly string[]]> = [
  ['region', (m) => [m.plan.settingNames.region]],
  ['endpoint-url', (m) => [m.plan.settingNames.endpoint]],
  ['profile', (m) => [m.plan.settingNames.profile]],
  ['output', (m) => [m.plan.settingNames.outputMode]],
  // The task's own settings: offered when the definition's settings schema has them.
  ['encoding', () => ['outputEncoding']],
  ['framing', () => ['framing']],
  ['connect-timeout-ms', () => ['timeouts', 'connectMs']],
  ['first-byte-timeout-ms', () => ['timeouts', 'firstByteMs']],
  ['idle-timeout-ms', () => ['timeouts', 'idleMs']],
  ['total-timeout-ms', () => ['timeouts', 'totalMs']],
  ['max-attempts', () => ['retry', 'maxAttempts']],
];

function isSchema(value: unknown): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * A title as a flag name: lower case, words joined by `-` (`Log type` → `log-type`,
 * `MaxItems` → `max-items`, `Content-MD5` → `content-md5`).
 * @example
 * kebabCase('Log type'); // 'log-type'
 */
export function kebabCase(title: string): string {
  return title
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `A|B` for an enum, else a word for the type. */
function valuesOf(schema: Schema): string {
  if (Array.isArray(schema.enum)) return schema.enum.map(String).join('|');
  if (schema.type === 'integer' || schema.type === 'number') return 'N';
  if (schema.type === 'boolean') return 'true|false';
  return schema.format === 'uri' ? 'URL' : 'TEXT';
}

/** The description, with the default the schema declares. */
function helpText(schema: Schema): string {
  const base = text(schema.description);
  return schema.default === undefined ? base : `${base} Default: ${JSON.stringify(schema.default)}.`.trim();
}

function exampleOf(schema: Schema, body: boolean): string | undefined {
  const examples = schema.examples;
  if (!Array.isArray(examples) || examples.length === 0) return undefined;
  const first: unknown = examples[0];
  return body || typeof first !== 'string' ? JSON.stringify(first) : first;
}

function isComputed(manifest: LoadedManifest, name: string, schema: Schema): boolean {
  return schema['x-computed'] === true || manifest.plan.computedHeaders.has(name.toLowerCase());
}

/** The body's value shape: JSON text (or any text) and, when the definition allows it, a file reference. */
function bodyValues(prefix: string | undefined, jsonBody: boolean): string {
  return `${jsonBody ? 'JSON' : 'TEXT'}${prefix === undefined ? '' : `|${prefix}PATH`}`;
}

function parameterFlags(
  manifest: LoadedManifest,
  prefix: string | undefined,
  jsonBody: boolean,
): ParameterFlag[] {
  const locations: ParameterLocation[] = ['path', 'headers', 'query', 'body'];
  const flags: ParameterFlag[] = [];
  for (const location of locations) {
    const schema = manifest.parameters[location].schema;
    const properties = isSchema(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required) ? schema.required : [];
    for (const [name, property] of Object.entries(properties)) {
      if (!isSchema(property) || (location === 'headers' && isComputed(manifest, name, property))) continue;
      const body = location === 'body' && name === manifest.plan.body.member;
      flags.push({
        flag: kebabCase(text(property.title)) || kebabCase(name),
        location,
        name,
        required: required.includes(name),
        values: body ? bodyValues(prefix, jsonBody) : valuesOf(property),
        description: helpText(property),
        example: exampleOf(property, body),
        body,
      });
    }
  }
  // A title shared with another parameter or with a flag of the command cannot be the flag alone.
  const taken = new Map<string, number>();
  for (const f of flags) taken.set(f.flag, (taken.get(f.flag) ?? 0) + 1);
  return flags.map((f) =>
    (taken.get(f.flag) ?? 0) > 1 || FIXED_FLAGS.has(f.flag) || SETTING_FLAGS.some(([s]) => s === f.flag)
      ? { ...f, flag: `${f.location}-${f.flag}` }
      : f,
  );
}

/** The schema at `path` inside the settings schema, or `undefined` when it has no such setting. */
function settingSchema(manifest: LoadedManifest, path: readonly string[]): Schema | undefined {
  let schema: Schema | undefined = manifest.settings.schema;
  for (const key of path) {
    const properties: unknown = schema?.properties;
    const next: unknown = isSchema(properties) ? properties[key] : undefined;
    schema = isSchema(next) ? next : undefined;
  }
  return schema;
}

function settingFlags(manifest: LoadedManifest): SettingFlag[] {
  const flags: SettingFlag[] = [];
  for (const [flag, where] of SETTING_FLAGS) {
    const path = where(manifest);
    const schema = settingSchema(manifest, path);
    if (schema === undefined) continue;
    flags.push({
      flag,
      path,
      type: text(schema.type) || 'string',
      values: valuesOf(schema),
      description: helpText(schema),
    });
  }
  return flags;
}

const cache = new WeakMap<LoadedManifest, DefinitionFlags>();

/**
 * The flags of a loaded definition (computed once per definition).
 * @example
 * const { parameters } = definitionFlags(loadManifest('other.manifest.json'));
 * parameters.map((p) => `--${p.flag}`); // one flag per parameter title
 */
export function definitionFlags(manifest: LoadedManifest): DefinitionFlags {
  const known = cache.get(manifest);
  if (known) return known;
  const { plan } = manifest;
  const prefix = plan.body.fileReferencePrefix;
  const jsonBody = /json/i.test(plan.body.defaultContentType);
  const flags: DefinitionFlags = {
    manifest,
    title: `${manifest.definition.displayName} (${plan.operationName})`,
    parameters: parameterFlags(manifest, prefix, jsonBody),
    settings: settingFlags(manifest),
    fileReferencePrefix: prefix,
    jsonBody,
    names: { profile: plan.settingNames.profile },
    env: { region: plan.regionEnv[0], endpoint: plan.endpointEnv[0], profile: plan.profileEnv },
  };
  cache.set(manifest, flags);
  return flags;
}
