import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ValidationIssue } from '../errors.js';
import { definitionIssue } from './definition-issue.js';
import { externalRefs } from './json-schema/schema-fingerprint.js';
import type { JsonSchemaObject } from './loaded-manifest.js';
import { isCheckedSchema, schemaProblem } from './meta-validators.js';

export function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

export function errorText(error: unknown): string {
  if (error instanceof SyntaxError) return `it is not valid JSON (${error.message})`;
  const code = (error as { code?: unknown }).code;
  return code === 'ENOENT' ? 'the file does not exist' : `it cannot be read (${String(code ?? error)})`;
}

/**
 * Loads the schema a manifest field names, and every schema it reaches through `$ref`.
 * Problems are reported against the manifest field, so the fix is easy to find.
 */
export function loadSchemaTree(
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
    issues.push(definitionIssue(field, 'schemaFile', `${field} names ${file}, but ${errorText(error)}`));
    return;
  }
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    issues.push(
      definitionIssue(field, 'schemaFile', `${field} names ${file}, which is not a JSON Schema object`),
    );
    return;
  }
  schemas.set(uri, schema as JsonSchemaObject);
  const why = isCheckedSchema(schema) ? undefined : schemaProblem(schema);
  if (why !== undefined) {
    issues.push(
      definitionIssue(field, 'schema', `${field} names ${file}, which is not a valid JSON Schema: ${why}`),
    );
  }
  for (const ref of externalRefs(schema)) {
    const target = new URL(ref, uri);
    target.hash = '';
    loadSchemaTree(target.href, `${field} → ${ref}`, schemas, issues);
  }
}
