import {
  fingerprint as precompiledFingerprint,
  validate as precompiledValidate,
} from '../definition/generated/validate-task-input.js';
import { createAjv } from '../definition/json-schema/create-ajv.js';
import type { PrecompiledValidator } from '../definition/json-schema/precompiled-validator.js';
import { schemaFingerprint } from '../definition/json-schema/schema-fingerprint.js';
import type { LoadedManifest } from '../definition/loaded-manifest.js';
import { DefinitionError } from '../errors.js';

const validators = new WeakMap<LoadedManifest, PrecompiledValidator>();

/**
 * The manifest's input validator, once per loaded manifest. Defaults are on because the validator
 * only ever runs on a copy (see `copyInput`). When the input schema and its `$ref`s are the ones
 * the package's validator was precompiled from (the packaged definition, unless a schema was edited
 * since `npm run typegen`), that validator serves and ajv is never loaded; any other definition is
 * compiled by ajv here, with the same options and keywords.
 */
export function inputValidator(manifest: LoadedManifest): PrecompiledValidator {
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
