/**
 * The checks a definition's files get before they are trusted: the manifest against its meta-schema,
 * each schema against its draft. The packaged files' digests are recorded, so they skip them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packagePath } from '../paths.js';
import { checkedManifestDigests, checkedSchemaDigests } from './generated/checked-definition.js';
import { createAjv } from './json-schema/create-ajv.js';
import type { PrecompiledValidator } from './json-schema/precompiled-validator.js';
import { contentDigest, schemaFingerprint } from './json-schema/schema-fingerprint.js';

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

/**
 * The manifest meta-schema's validator: the precompiled one (scripts/compile-validators.mjs), unless
 * schemas/manifest.schema.json changed since it was generated; then ajv compiles the file as it is.
 */
export function manifestValidator(): PrecompiledValidator {
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
export function schemaProblem(schema: object): string | undefined {
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

/** Whether this is the packaged manifest as checked when its digest was recorded. */
export function isCheckedManifest(raw: unknown): boolean {
  return checkedManifests.has(contentDigest(raw));
}

/** Whether this is a packaged schema as checked when its digest was recorded. */
export function isCheckedSchema(schema: unknown): boolean {
  return checkedSchemas.has(contentDigest(schema));
}
