import { createHash } from 'node:crypto';

/** Every `$ref` to another document in a schema (fragment-only refs stay inside the file). */
export function externalRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) externalRefs(item, out);
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) out.push(value);
      else if (key !== 'examples' && key !== 'default' && key !== 'const' && key !== 'enum')
        externalRefs(value, out);
    }
  }
  return out;
}

/**
 * A digest of a schema and every schema it reaches through `$ref`, each named by its path relative to
 * the root's folder, so the same files give the same digest wherever the package is installed. A
 * precompiled validator records the digest of what it was compiled from; a loaded definition whose
 * digest differs (an edited schema, another definition) is compiled by ajv instead.
 *
 * @param rootUri the root schema's URI, a key of `schemas`
 * @param schemas the loaded schemas by absolute URI; `undefined` is returned when a `$ref` is missing
 * @example
 * schemaFingerprint(manifest.input.uri, manifest.schemas); // 'sha256:4f0c…'
 */
export function schemaFingerprint(
  rootUri: string,
  schemas: ReadonlyMap<string, unknown>,
): string | undefined {
  const base = rootUri.slice(0, rootUri.lastIndexOf('/') + 1);
  const reached = new Map<string, unknown>();
  const pending = [rootUri];
  for (let uri = pending.pop(); uri !== undefined; uri = pending.pop()) {
    if (reached.has(uri)) continue;
    const schema = schemas.get(uri);
    if (schema === undefined) return undefined;
    reached.set(uri, schema);
    for (const ref of externalRefs(schema)) {
      const target = new URL(ref, uri);
      target.hash = '';
      pending.push(target.href);
    }
  }
  const entries = [...reached]
    .map(([uri, schema]): [string, unknown] => [uri.startsWith(base) ? uri.slice(base.length) : uri, schema])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `sha256:${createHash('sha256').update(JSON.stringify(entries)).digest('hex')}`;
}

/**
 * A digest of one parsed JSON document (manifest or schema), independent of where the file lives.
 * `scripts/compile-validators.mjs` records the digests of the packaged definition's files after
 * checking them; a file loaded at run time with one of those digests is the same document, already
 * checked, and is not checked again.
 * @example
 * contentDigest(JSON.parse(readFileSync('manifest.json', 'utf8'))); // 'sha256:9b1e…'
 */
export function contentDigest(value: unknown): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(value)).digest('hex')}`;
}
