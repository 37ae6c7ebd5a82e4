#!/usr/bin/env node
/**
 * Precompiles the package's validators with ajv's standalone code generation, so the packaged
 * definition is checked at run time without loading (or running) ajv's compiler:
 *
 *   schemas/manifest.schema.json                 → src/definition/generated/validate-manifest.ts
 *   JSON Schema draft-07 (the schemas' meta-schema) → src/definition/generated/validate-json-schema.ts
 *   schemas/task-input.schema.json (+ its $refs)   → src/definition/generated/validate-task-input.ts
 *   manifest.json and schemas/*.schema.json        → src/definition/generated/checked-definition.ts
 *     (the digests of those files, written only after the manifest passed its meta-schema and every
 *     schema passed draft-07: loadManifest() does not check a file with one of these digests again)
 *
 * They are compiled by the same createAjv() (options and task keywords) the run time uses for other
 * definitions, so both produce the same errors. The files are committed and never edited by hand.
 *
 *   node scripts/compile-validators.mjs                      write them
 *   node scripts/compile-validators.mjs --check              exit 1 (and say how to fix it) when one differs
 *   node scripts/compile-validators.mjs --schemas DIR --out DIR   other folders (tests prove drift is caught)
 *   node scripts/compile-validators.mjs --manifest FILE            another manifest (default manifest.json)
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const requireHere = createRequire(import.meta.url);

function parseArgs(argv) {
  const options = {
    check: false,
    schemas: join(root, 'schemas'),
    manifest: join(root, 'manifest.json'),
    out: join(root, 'src', 'definition', 'generated'),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--check') options.check = true;
    else if (arg === '--schemas' && argv[i + 1]) options.schemas = resolve(argv[++i]);
    else if (arg === '--out' && argv[i + 1]) options.out = resolve(argv[++i]);
    else if (arg === '--manifest' && argv[i + 1]) options.manifest = resolve(argv[++i]);
    else throw new Error(`compile-validators: unknown argument '${arg}'`);
  }
  return options;
}

/**
 * createAjv() and schemaFingerprint() straight from src/ (TypeScript), bundled by esbuild into a
 * cache file inside the package (so `require('ajv')` in it resolves), never from a possibly stale dist/.
 */
async function loadSourceModules() {
  const result = await build({
    stdin: {
      contents: [
        "export { createAjv } from './src/definition/json-schema/create-ajv.ts';",
        "export { contentDigest, externalRefs, schemaFingerprint } from './src/definition/json-schema/schema-fingerprint.ts';",
      ].join('\n'),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    logLevel: 'silent',
  });
  const dir = join(root, 'node_modules', '.cache', 'lambda-stream-task');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `compile-validators-${process.pid}.mjs`);
  await writeFile(file, result.outputFiles[0].text);
  try {
    return await import(pathToFileURL(file).href);
  } finally {
    await import('node:fs/promises').then((fs) => fs.rm(file, { force: true }));
  }
}

/**
 * Schemas are registered under this fixed base, not their file path, so the generated code (and its
 * drift check) is the same in every checkout.
 */
const BASE_URI = 'file:///lambda-stream-task/schemas/';

async function readSchemas(schemasDir) {
  const schemas = new Map();
  for (const file of (await readdir(schemasDir)).filter((f) => f.endsWith('.schema.json')).sort()) {
    schemas.set(BASE_URI + file, JSON.parse(await readFile(join(schemasDir, file), 'utf8')));
  }
  return schemas;
}

/**
 * ajv writes `require("…")` for the runtime helpers it references (formats, ucs2length, the task
 * keywords' helpers) even with `esm: true`. Packages (CommonJS) stay `require`d, through
 * `createRequire`: an ES `import` of a CommonJS file makes Node scan it for export names first, which
 * costs milliseconds of every cold start. Our helpers are ES modules and become namespace imports.
 */
function requiresToImports(code) {
  const specifiers = new Map();
  const body = code.replace(/require\("([^"]+)"\)/g, (_match, specifier) => {
    let name = specifiers.get(specifier);
    if (name === undefined) {
      name = `import${specifiers.size}`;
      specifiers.set(specifier, name);
    }
    return name;
  });
  const imports = [];
  const required = [];
  for (const [specifier, name] of specifiers) {
    if (specifier.startsWith('.')) {
      imports.push(`import * as ${name} from '${specifier}';`);
    } else {
      requireHere.resolve(specifier); // fail here, not at run time, if ajv moved a file
      required.push(`const ${name} = requireCjs('${specifier}');`);
    }
  }
  if (required.length > 0) {
    imports.unshift("import { createRequire } from 'node:module';");
    imports.push('', 'const requireCjs = createRequire(import.meta.url);', ...required);
  }
  return { imports, body };
}

function moduleText({ source, ajvVersion, code, fingerprint }) {
  const exported = /^export const validate = (\w+);$/m.exec(code);
  if (!exported) throw new Error('compile-validators: ajv did not export `validate`');
  const { imports, body } = requiresToImports(code.replace(exported[0], '').replace(/^"use strict";\n?/, ''));
  return [
    `// Generated by scripts/compile-validators.mjs from ${source} with ajv ${ajvVersion}. DO NOT EDIT:`,
    '// change the schema (or the keywords in src/definition/json-schema/create-ajv.ts), then run `npm run typegen`.',
    "// @ts-nocheck: ajv's standalone code is untyped JavaScript; the exports at the end carry the types.",
    "import type { PrecompiledValidator } from '../json-schema/precompiled-validator.js';",
    ...imports,
    '',
    body.trim(),
    '',
    '/** The digest of the schemas this validator was compiled from (see schemaFingerprint). */',
    `export const fingerprint: string = ${JSON.stringify(fingerprint)};`,
    `export const validate: PrecompiledValidator = ${exported[1]};`,
    '',
  ].join('\n');
}

/**
 * The digests of the manifest and of every schema file, once each has passed the check loadManifest()
 * would run (the manifest against the manifest meta-schema, each schema against draft-07). A file that
 * fails stops the generation: its digest must never be recorded as checked.
 */
function checkedDefinitionText({
  manifest,
  manifestFile,
  schemas,
  manifestAjv,
  manifestUri,
  metaAjv,
  contentDigest,
}) {
  const validateManifest = manifestAjv.getSchema(manifestUri);
  if (!validateManifest(manifest)) {
    throw new Error(
      `compile-validators: ${relative(root, manifestFile)} does not match the manifest meta-schema: ${manifestAjv.errorsText(validateManifest.errors)}`,
    );
  }
  const schemaDigests = [];
  for (const [uri, schema] of schemas) {
    if (!metaAjv.validateSchema(schema)) {
      throw new Error(
        `compile-validators: ${uri.slice(BASE_URI.length)} is not a valid JSON Schema: ${metaAjv.errorsText(metaAjv.errors)}`,
      );
    }
    schemaDigests.push(contentDigest(schema));
  }
  return [
    '// Generated by scripts/compile-validators.mjs from manifest.json and schemas/*.schema.json. DO NOT EDIT:',
    '// change the definition, then run `npm run typegen`.',
    '',
    '/**',
    ' * Content digests (contentDigest) of the packaged manifest and schemas, recorded after each passed the',
    ' * check loadManifest() runs. A loaded file with one of these digests is that file, already checked.',
    ' */',
    `export const checkedManifestDigests: readonly string[] = ${list([contentDigest(manifest)])};`,
    '',
    '/** The schema files, each checked against JSON Schema draft-07. */',
    `export const checkedSchemaDigests: readonly string[] = ${list([...new Set(schemaDigests)].sort())};`,
    '',
  ].join('\n');
}

function list(values) {
  return `[\n${values.map((v) => `  '${v}',\n`).join('')}]`;
}

async function generate(schemasDir, manifestFile) {
  const { createAjv, schemaFingerprint, contentDigest } = await loadSourceModules();
  const { default: standaloneCode } = await import('ajv/dist/standalone/index.js');
  const ajvVersion = requireHere('ajv/package.json').version;
  const schemas = await readSchemas(schemasDir);
  const outputs = new Map();

  const one = (name, source, ajv, id, fingerprint) => {
    const code = standaloneCode(ajv, { validate: id });
    outputs.set(name, moduleText({ source, ajvVersion, code, fingerprint }));
  };

  const manifestUri = `${BASE_URI}manifest.schema.json`;
  const manifestAjv = createAjv({ standalone: true });
  manifestAjv.addSchema(schemas.get(manifestUri), manifestUri);
  one(
    'validate-manifest.ts',
    'schemas/manifest.schema.json',
    manifestAjv,
    manifestUri,
    schemaFingerprint(manifestUri, schemas),
  );

  // validateSchema() checks a schema against its draft's meta-schema with the instance's options.
  const draft07 = 'http://json-schema.org/draft-07/schema';
  const metaAjv = createAjv({ standalone: true });
  one(
    'validate-json-schema.ts',
    'the JSON Schema draft-07 meta-schema',
    metaAjv,
    draft07,
    schemaFingerprint(draft07, new Map([[draft07, metaAjv.getSchema(draft07).schema]])),
  );

  const inputUri = `${BASE_URI}task-input.schema.json`;
  const inputAjv = createAjv({ useDefaults: true, standalone: true });
  for (const [uri, schema] of schemas) inputAjv.addSchema(schema, uri);
  const inputFingerprint = schemaFingerprint(inputUri, schemas);
  if (inputFingerprint === undefined)
    throw new Error('compile-validators: task-input.schema.json has a missing $ref');
  one(
    'validate-task-input.ts',
    'schemas/task-input.schema.json and the schemas it references',
    inputAjv,
    inputUri,
    inputFingerprint,
  );

  const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
  outputs.set(
    'checked-definition.ts',
    checkedDefinitionText({
      manifest,
      manifestFile,
      schemas,
      manifestAjv,
      manifestUri,
      metaAjv,
      contentDigest,
    }),
  );
  return outputs;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const outputs = await generate(options.schemas, options.manifest);
  const where = relative(process.cwd(), options.out) || '.';
  if (options.check) {
    const existing = (await readdir(options.out).catch(() => [])).filter((f) => f.endsWith('.ts'));
    const drift = [];
    for (const [name, text] of outputs) {
      const current = await readFile(join(options.out, name), 'utf8').catch(() => undefined);
      if (current === undefined) drift.push(`${name} is missing`);
      else if (current !== text) drift.push(`${name} differs from what its schemas compile to`);
    }
    for (const name of existing)
      if (!outputs.has(name)) drift.push(`${name} is not generated from any schema`);
    if (drift.length > 0) {
      process.stderr.write(
        `compile-validators: precompiled validators in ${where} are out of date:\n` +
          drift.map((d) => `  - ${d}\n`).join('') +
          'Fix: run `npm run typegen` and commit the result.\n',
      );
      process.exitCode = 1;
      return;
    }
    process.stdout.write(
      `compile-validators: ${outputs.size - 1} precompiled validators match the schemas, and the checked-definition digests the files\n`,
    );
    return;
  }
  await mkdir(options.out, { recursive: true });
  for (const [name, text] of outputs) {
    const current = await readFile(join(options.out, name), 'utf8').catch(() => undefined);
    if (current !== text) await writeFile(join(options.out, name), text);
  }
  process.stdout.write(
    `compile-validators: wrote ${outputs.size - 1} validators and the checked-definition digests to ${where}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
