import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DefinitionError, type ValidationIssue } from '../errors.js';
import type {
  AuthDefinition,
  BodyParameterDefinition,
  ErrorsDefinition,
  Manifest,
  ModeledErrorDefinition,
  OperationDefinition,
  ResponseDefinition,
} from '../generated/manifest.js';
import { packagePath } from '../paths.js';
import { checkedManifestDigests, checkedSchemaDigests } from './generated/checked-definition.js';
import { createAjv } from './json-schema/create-ajv.js';
import type { PrecompiledValidator } from './json-schema/precompiled-validator.js';
import { contentDigest, externalRefs, schemaFingerprint } from './json-schema/schema-fingerprint.js';
import { toIssues } from './json-schema/to-issues.js';

/** A JSON Schema document as read from disk. */
export type JsonSchemaObject = { readonly [key: string]: unknown };

/** One schema file of the definition. */
export interface LoadedSchema {
  /** Absolute file path. */
  readonly file: string;
  /** `file:` URL; the key under which the schema is registered, so relative `$ref`s resolve. */
  readonly uri: string;
  readonly schema: JsonSchemaObject;
}

/** Where a parameter goes on the wire; also its key in the task input. */
export type ParameterLocation = 'path' | 'headers' | 'query' | 'body';

/** The locations in the order a request is built. */
export const PARAMETER_LOCATIONS: readonly ParameterLocation[] = ['path', 'headers', 'query', 'body'];

/**
 * A checked definition: the manifest plus every schema it references, loaded and cross-checked.
 * Everything is frozen: one loaded manifest is shared by every call.
 */
export interface LoadedManifest {
  /** Absolute path of the manifest file. */
  readonly file: string;
  /** The manifest as written. */
  readonly definition: Manifest;
  readonly operation: OperationDefinition;
  readonly auth: AuthDefinition;
  /** The parameter schema of each location. */
  readonly parameters: { readonly [L in ParameterLocation]: LoadedSchema };
  /** The body member, its size limit and content type. */
  readonly body: BodyParameterDefinition;
  /** The whole task input's schema (`{ path, headers, query, body, settings }`). */
  readonly input: LoadedSchema;
  readonly settings: LoadedSchema;
  readonly response: ResponseDefinition;
  readonly errors: ErrorsDefinition;
  readonly outputs: {
    readonly default: 'aggregated' | 'chunked';
    readonly modeSetting: string;
    readonly aggregated: LoadedSchema;
    readonly chunked: LoadedSchema;
  };
  /** Every schema file reached (referenced by the manifest or through `$ref`), by `file:` URL. */
  readonly schemas: ReadonlyMap<string, JsonSchemaObject>;
}

/**
 * The packaged manifest and schemas, by content digest: `npm run typegen` records them only after
 * checking each file as below, and `typegen:check` (part of `npm test`) fails when a file changed
 * since. A file with one of these digests is skipped by the meta-schema checks, which cost ~15 ms of
 * every cold start; any other content (an edited file, another definition) is checked in full.
 */
const checkedManifests: ReadonlySet<string> = new Set(checkedManifestDigests);
const checkedSchemas: ReadonlySet<string> = new Set(checkedSchemaDigests);

/** A precompiled validator module of `src/definition/generated/`. */
interface GeneratedValidator {
  fingerprint: string;
  validate: PrecompiledValidator;
}

const requireModule = createRequire(import.meta.url);
/**
 * Where the generated validators are, relative to this module: beside `manifest/` when it is its own
 * file (src/ under jest, tsc's dist/), or inside `dist/` when it is part of a bundle chunk there.
 */
const GENERATED_DIR =
  basename(dirname(fileURLToPath(import.meta.url))) === 'definition'
    ? './generated/'
    : './definition/generated/';

/**
 * The meta-schema validators (manifest meta-schema, JSON Schema draft-07; ~330 KB of generated code)
 * are only needed for files whose digest was not recorded, so they are loaded on first use rather than
 * with the package (~19 ms of a cold start). `require` because loadManifest() is synchronous: it loads
 * the ES module synchronously (Node ≥ 20.19 and ≥ 22.12, the versions package.json `engines` allows).
 */
function generatedValidator(name: 'validate-manifest' | 'validate-json-schema'): GeneratedValidator {
  return requireModule(`${GENERATED_DIR}${name}.js`) as GeneratedValidator;
}

let metaValidator: PrecompiledValidator | undefined;
let schemaChecker: ReturnType<typeof createAjv> | undefined;
let defaultManifest: LoadedManifest | undefined;

/**
 * The manifest meta-schema's validator: the precompiled one (scripts/compile-validators.mjs), unless
 * schemas/manifest.schema.json changed since it was generated; then ajv compiles the file as it is.
 */
function manifestValidator(): PrecompiledValidator {
  if (metaValidator === undefined) {
    const file = packagePath('schemas', 'manifest.schema.json');
    const schema = JSON.parse(readFileSync(file, 'utf8')) as object;
    const uri = pathToFileURL(file).href;
    const precompiled = generatedValidator('validate-manifest');
    metaValidator =
      schemaFingerprint(uri, new Map([[uri, schema]])) === precompiled.fingerprint
        ? precompiled.validate
        : createAjv().compile(schema);
  }
  return metaValidator;
}

/** `$schema` values that mean draft-07, whose meta-schema validator is precompiled (as ajv names it). */
const DRAFT_07 = new Set([
  'http://json-schema.org/draft-07/schema',
  'http://json-schema.org/draft-07/schema#',
]);

/** ajv's `errorsText`, for the precompiled meta-schema validator's errors. */
function errorsText(errors: PrecompiledValidator['errors'], dataVar: string): string {
  if (!errors || errors.length === 0) return 'No errors';
  return errors.map((e) => `${dataVar}${e.instancePath} ${e.message}`).join(', ');
}

/**
 * Why a schema is not a valid JSON Schema, or `undefined` when it is. Draft-07 (ours, and the default)
 * is checked by the precompiled meta-schema validator; another `$schema` is left to ajv, which knows
 * the drafts it supports and refuses the others.
 */
function schemaProblem(schema: object): string | undefined {
  const { $schema } = schema as { $schema?: unknown };
  if ($schema === undefined || (typeof $schema === 'string' && DRAFT_07.has($schema))) {
    const { validate } = generatedValidator('validate-json-schema');
    return validate(schema) ? undefined : errorsText(validate.errors, 'schema');
  }
  // One instance serves every check: validateSchema compiles each draft's meta-schema once.
  schemaChecker ??= createAjv();
  const checker = schemaChecker;
  try {
    return checker.validateSchema(schema)
      ? undefined
      : checker.errorsText(checker.errors, { dataVar: 'schema' });
  } catch (error: unknown) {
    return error instanceof Error ? error.message : String(error);
  }
}

function issue(path: string, keyword: string, message: string): ValidationIssue {
  return { location: 'manifest', path, keyword, message };
}

function fail(file: string, issues: readonly ValidationIssue[]): never {
  const shown = issues.slice(0, 10).map((i) => `  - ${i.message}`);
  if (issues.length > shown.length) shown.push(`  - … and ${issues.length - shown.length} more`);
  throw new DefinitionError(
    `The task definition ${file} is invalid (a packaging bug, not an input error):\n${shown.join('\n')}`,
    issues,
  );
}

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function errorText(error: unknown): string {
  if (error instanceof SyntaxError) return `it is not valid JSON (${error.message})`;
  const code = (error as { code?: unknown }).code;
  return code === 'ENOENT' ? 'the file does not exist' : `it cannot be read (${String(code ?? error)})`;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Loads the schema a manifest field names, and every schema it reaches through `$ref`.
 * Problems are reported against the manifest field, so the fix is easy to find.
 */
function loadSchemaTree(
  uri: string,
  field: string,
  schemas: Map<string, JsonSchemaObject>,
  issues: ValidationIssue[],
): void {
  if (schemas.has(uri)) return;
  const file = fileURLToPath(uri);
  let schema: unknown;
  try {
    schema = readJson(file);
  } catch (error: unknown) {
    issues.push(issue(field, 'schemaFile', `${field} names ${file}, but ${errorText(error)}`));
    return;
  }
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    issues.push(issue(field, 'schemaFile', `${field} names ${file}, which is not a JSON Schema object`));
    return;
  }
  schemas.set(uri, schema as JsonSchemaObject);
  const why = checkedSchemas.has(contentDigest(schema)) ? undefined : schemaProblem(schema);
  if (why !== undefined) {
    issues.push(issue(field, 'schema', `${field} names ${file}, which is not a valid JSON Schema: ${why}`));
  }
  for (const ref of externalRefs(schema)) {
    const target = new URL(ref, uri);
    target.hash = '';
    loadSchemaTree(target.href, `${field} → ${ref}`, schemas, issues);
  }
}

function propertiesOf(schema: JsonSchemaObject | undefined): Record<string, Record<string, unknown>> {
  const props = schema?.properties;
  return props !== null && typeof props === 'object'
    ? (props as Record<string, Record<string, unknown>>)
    : {};
}

/** Cross-field rules the meta-schema cannot state: every name the manifest uses must exist where it points. */
function checkConsistency(
  m: Manifest,
  schemaOf: (field: string) => JsonSchemaObject | undefined,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const pathProps = propertiesOf(schemaOf('parameters.path.schema'));
  const headerProps = propertiesOf(schemaOf('parameters.headers.schema'));
  const bodyProps = propertiesOf(schemaOf('parameters.body.schema'));
  const settingsProps = propertiesOf(schemaOf('settings.schema'));
  const inputProps = propertiesOf(schemaOf('input.schema'));

  const labels = [...m.operation.pathTemplate.matchAll(/\{([^}]*)\}/g)].map((match) => match[1] ?? '');
  for (const label of labels) {
    if (!Object.hasOwn(pathProps, label)) {
      issues.push(
        issue(
          'operation.pathTemplate',
          'label',
          `operation.pathTemplate uses {${label}}, which is not a property of the path parameter schema`,
        ),
      );
    }
  }
  const pathRequired = schemaOf('parameters.path.schema')?.required;
  for (const name of Object.keys(pathProps)) {
    if (!labels.includes(name)) {
      issues.push(
        issue(
          'operation.pathTemplate',
          'label',
          `operation.pathTemplate has no {${name}} for the path parameter ${name}`,
        ),
      );
    }
  }
  if (Array.isArray(pathRequired) && labels.some((l) => !pathRequired.includes(l))) {
    issues.push(
      issue(
        'parameters.path.schema',
        'required',
        'parameters.path.schema must require every label of the path template',
      ),
    );
  }

  if (!Object.hasOwn(bodyProps, m.parameters.body.member)) {
    issues.push(
      issue(
        'parameters.body.member',
        'member',
        `parameters.body.member is ${m.parameters.body.member}, which is not a property of the body schema`,
      ),
    );
  }
  const contentType = m.parameters.body.contentTypeHeader;
  if (!Object.hasOwn(headerProps, contentType)) {
    issues.push(
      issue(
        'parameters.body.contentTypeHeader',
        'header',
        `parameters.body.contentTypeHeader is ${contentType}, which is not a property of the header schema`,
      ),
    );
  }

  m.auth.computedHeaders.forEach((name, index) => {
    if (headerProps[name]?.['x-computed'] !== true) {
      issues.push(
        issue(
          `auth.computedHeaders[${index}]`,
          'computed',
          `auth.computedHeaders[${index}] is ${name}, which the header schema does not list with "x-computed": true`,
        ),
      );
    }
  });
  for (const [name, prop] of Object.entries(headerProps)) {
    if (prop['x-computed'] === true && !m.auth.computedHeaders.includes(name)) {
      issues.push(
        issue(
          'auth.computedHeaders',
          'computed',
          `auth.computedHeaders must list ${name}, which the header schema marks computed`,
        ),
      );
    }
  }

  const settingRefs: [string, string][] = [
    ['auth.region.setting', m.auth.region.setting],
    ['auth.credentials.setting', m.auth.credentials.setting],
    ['auth.credentials.profileSetting', m.auth.credentials.profileSetting],
    ['operation.endpoint.override.setting', m.operation.endpoint.override.setting],
    ['operation.endpoint.fipsSetting', m.operation.endpoint.fipsSetting],
    ['operation.endpoint.dualstackSetting', m.operation.endpoint.dualstackSetting],
    ['outputs.modeSetting', m.outputs.modeSetting],
  ];
  for (const [field, name] of settingRefs) {
    if (!Object.hasOwn(settingsProps, name)) {
      issues.push(
        issue(field, 'setting', `${field} is ${name}, which is not a property of the settings schema`),
      );
    }
  }

  for (const key of ['path', 'headers', 'query', 'body', 'settings']) {
    if (!Object.hasOwn(inputProps, key)) {
      issues.push(issue('input.schema', 'property', `input.schema must have a ${key} property`));
    }
  }

  const partitionIds = m.operation.endpoint.partitions.map((p) => p.id);
  if (!partitionIds.includes(m.operation.endpoint.defaultPartition)) {
    issues.push(
      issue(
        'operation.endpoint.defaultPartition',
        'partition',
        `operation.endpoint.defaultPartition is ${m.operation.endpoint.defaultPartition}, which is not one of the partitions (${partitionIds.join(', ')})`,
      ),
    );
  }
  m.operation.endpoint.partitions.forEach((p, index) => {
    const field = `operation.endpoint.partitions[${index}]`;
    if (partitionIds.indexOf(p.id) !== index) {
      issues.push(issue(`${field}.id`, 'unique', `${field}.id repeats the partition ${p.id}`));
    }
    try {
      new RegExp(p.regionPattern);
    } catch {
      issues.push(
        issue(`${field}.regionPattern`, 'regex', `${field}.regionPattern is not a valid regular expression`),
      );
    }
  });

  const errorNames = new Set<string>();
  m.errors.modeled.forEach((e: ModeledErrorDefinition, index) => {
    if (errorNames.has(e.name)) {
      issues.push(
        issue(`errors.modeled[${index}].name`, 'unique', `errors.modeled[${index}].name repeats ${e.name}`),
      );
    }
    errorNames.add(e.name);
  });

  const success = m.response.successStatus;
  m.response.emptyBodyStatus.forEach((status, index) => {
    if (!success.includes(status)) {
      issues.push(
        issue(
          `response.emptyBodyStatus[${index}]`,
          'status',
          `response.emptyBodyStatus[${index}] is ${status}, which is not one of response.successStatus`,
        ),
      );
    }
  });
  return issues;
}

function readAndCheck(file: string): LoadedManifest {
  let raw: unknown;
  try {
    raw = readJson(file);
  } catch (error: unknown) {
    fail(file, [issue('', 'file', `Cannot load the manifest: ${errorText(error)}`)]);
  }
  if (!checkedManifests.has(contentDigest(raw))) {
    const validate = manifestValidator();
    if (!validate(raw))
      fail(file, toIssues(validate.errors, { rootName: 'the manifest', fixedLocation: 'manifest' }));
  }
  const m = raw as Manifest;

  const base = pathToFileURL(`${resolve(dirname(file))}/`).href;
  const refs: Record<string, string> = {
    'input.schema': m.input.schema,
    'settings.schema': m.settings.schema,
    'parameters.path.schema': m.parameters.path.schema,
    'parameters.headers.schema': m.parameters.headers.schema,
    'parameters.query.schema': m.parameters.query.schema,
    'parameters.body.schema': m.parameters.body.schema,
    'outputs.modes.aggregated.schema': m.outputs.modes.aggregated.schema,
    'outputs.modes.chunked.schema': m.outputs.modes.chunked.schema,
  };
  const schemas = new Map<string, JsonSchemaObject>();
  const issues: ValidationIssue[] = [];
  const uris: Record<string, string> = {};
  for (const [field, ref] of Object.entries(refs)) {
    uris[field] = new URL(ref, base).href;
    loadSchemaTree(uris[field], field, schemas, issues);
  }
  if (issues.length > 0) fail(file, issues);

  const loaded = (field: string): LoadedSchema => {
    const uri = uris[field] ?? '';
    return { file: fileURLToPath(uri), uri, schema: schemas.get(uri) ?? {} };
  };
  issues.push(...checkConsistency(m, (field) => schemas.get(uris[field] ?? '')));
  if (issues.length > 0) fail(file, issues);

  for (const schema of schemas.values()) deepFreeze(schema);
  return deepFreeze({
    file,
    definition: m,
    operation: m.operation,
    auth: m.auth,
    parameters: {
      path: loaded('parameters.path.schema'),
      headers: loaded('parameters.headers.schema'),
      query: loaded('parameters.query.schema'),
      body: loaded('parameters.body.schema'),
    },
    body: m.parameters.body,
    input: loaded('input.schema'),
    settings: loaded('settings.schema'),
    response: m.response,
    errors: m.errors,
    outputs: {
      default: m.outputs.default,
      modeSetting: m.outputs.modeSetting,
      aggregated: loaded('outputs.modes.aggregated.schema'),
      chunked: loaded('outputs.modes.chunked.schema'),
    },
    schemas,
  });
}

/**
 * Loads a task definition and checks it: the manifest against `schemas/manifest.schema.json`, every
 * schema it references (and their `$ref`s) against JSON Schema draft-07, and the names that tie them
 * together (path labels, body member, computed headers, settings). The package's own `manifest.json`
 * is read once and cached; another path is read on every call.
 *
 * @throws DefinitionError (code `DEFINITION_INVALID`) whose `issues` name each broken field.
 * @example
 * const manifest = loadManifest();
 * manifest.operation.pathTemplate; // '/2021-11-15/functions/{FunctionName}/response-streaming-invocations'
 */
export function loadManifest(path?: string): LoadedManifest {
  if (path === undefined) {
    defaultManifest ??= readAndCheck(packagePath('manifest.json'));
    return defaultManifest;
  }
  return readAndCheck(resolve(path));
}
