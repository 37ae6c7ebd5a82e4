/**
 * Load a definition: read the manifest and every schema it reaches, check them, and compile the
 * call plan. Each job has its own module; this one composes them.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DefinitionError, type ValidationIssue } from '../errors.js';
import type { Manifest } from '../generated/manifest.js';
import { packagePath } from '../paths.js';
import { checkConsistency } from './check-consistency.js';
import { compilePlan } from './compile-plan.js';
import { definitionIssue } from './definition-issue.js';
import { toIssues } from './json-schema/to-issues.js';
import { errorText, loadSchemaTree, readJson } from './load-schema-tree.js';
import type { JsonSchemaObject, LoadedManifest, LoadedSchema } from './loaded-manifest.js';
import { isCheckedManifest, manifestValidator } from './meta-validators.js';

export type { JsonSchemaObject, LoadedManifest, LoadedSchema, ParameterLocation } from './loaded-manifest.js';
export { PARAMETER_LOCATIONS } from './loaded-manifest.js';

function headerNames(schema: JsonSchemaObject | undefined): string[] {
  const props = schema?.properties;
  return props !== null && typeof props === 'object' ? Object.keys(props) : [];
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function fail(file: string, issues: readonly ValidationIssue[]): never {
  const shown = issues.slice(0, 10).map((i) => `  - ${i.message}`);
  if (issues.length > shown.length) shown.push(`  - … and ${issues.length - shown.length} more`);
  throw new DefinitionError(
    `The task definition ${file} is invalid (a packaging bug, not an input error):\n${shown.join('\n')}`,
    issues,
  );
}

function readAndCheck(file: string): LoadedManifest {
  let raw: unknown;
  try {
    raw = readJson(file);
  } catch (error: unknown) {
    fail(file, [definitionIssue('', 'file', `Cannot load the manifest: ${errorText(error)}`)]);
  }
  if (!isCheckedManifest(raw)) {
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
    plan: compilePlan(m, headerNames(schemas.get(uris['parameters.headers.schema'] ?? ''))),
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
let defaultManifest: LoadedManifest | undefined;

export function loadManifest(path?: string): LoadedManifest {
  if (path === undefined) {
    defaultManifest ??= readAndCheck(packagePath('manifest.json'));
    return defaultManifest;
  }
  return readAndCheck(resolve(path));
}
