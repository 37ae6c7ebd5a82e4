import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from '@jest/globals';
import { DefinitionError } from '../../src/errors.js';
import { loadManifest } from '../../src/manifest/load-manifest.js';
import { packagePath } from '../../src/paths.js';
import { createAjv } from '../../src/validation/create-ajv.js';
import {
  checkedManifestDigests,
  checkedSchemaDigests,
} from '../../src/validation/generated/checked-definition.js';
import { validate as validateJsonSchema } from '../../src/validation/generated/validate-json-schema.js';
import { validate as validateManifestSchema } from '../../src/validation/generated/validate-manifest.js';
import { validate as validateTaskInput } from '../../src/validation/generated/validate-task-input.js';
import type { PrecompiledValidator } from '../../src/validation/precompiled-validator.js';
import { contentDigest } from '../../src/validation/schema-fingerprint.js';
import { validateInput } from '../../src/validation/validate-input.js';

const run = promisify(execFile);
const SCRIPT = packagePath('scripts', 'compile-validators.mjs');
const GENERATED = packagePath('src', 'validation', 'generated');
const scratch = mkdtempSync(join(tmpdir(), 'validators-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function compileValidators(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [SCRIPT, ...args], { cwd: packagePath() });
    return { code: 0, stdout, stderr };
  } catch (error: unknown) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

function copySchemas(name: string): string {
  const dir = join(scratch, name);
  cpSync(packagePath('schemas'), dir, { recursive: true });
  return dir;
}

/** Runs both validators on their own copy (defaults are filled in) and returns what each saw. */
function both(precompiled: PrecompiledValidator, compiled: PrecompiledValidator, data: unknown) {
  const a = structuredClone(data);
  const b = structuredClone(data);
  return {
    precompiled: { valid: precompiled(a), errors: precompiled.errors ?? null, data: a },
    compiled: { valid: compiled(b), errors: compiled.errors ?? null, data: b },
  };
}

const long = (n: number) => 'f'.repeat(n);
const base64Of = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');

/** Valid and invalid inputs that between them reach every keyword the schemas use, custom ones included. */
const INPUTS: unknown[] = [
  { path: { FunctionName: 'my-fn' } },
  {
    path: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:my-fn:prod' },
    headers: {
      'X-Amz-Log-Type': 'Tail',
      'X-Amz-Client-Context': base64Of(3583),
      'Content-Type': 'text/plain',
    },
    query: { Qualifier: '$LATEST' },
    body: { Payload: { hello: 'world' } },
    settings: {
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:9000',
      outputMode: 'chunked',
      framing: 'line',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' },
      timeouts: { idleMs: 1000 },
      retry: { maxAttempts: 1 },
    },
  },
  { path: { FunctionName: long(64) } },
  { path: { FunctionName: long(65) } },
  { path: { FunctionName: `${long(65)}:prod` } },
  { path: { FunctionName: `arn:aws:lambda:us-east-1:123456789012:function:${long(65)}` } },
  { path: { FunctionName: `123456789012:function:${long(300)}` } },
  { path: { FunctionName: 'x' }, headers: { 'X-Amz-Client-Context': base64Of(3584) } },
  { path: { FunctionName: 'x' }, headers: { 'X-Amz-Client-Context': 'abc' } },
  { path: { FunctionName: 'x' }, headers: { Authorization: 'AWS4-HMAC-SHA256 …', 'X-Amz-Date': 5 } },
  {
    path: { FunctionName: long(65) },
    headers: { 'X-Amz-Log-Type': 'tail', 'X-Amz-Security-Token': 'x', 'X-Unknown': 'y' },
    query: { Qualifier: '' },
    settings: { endpoint: 'not a url', timeouts: { idleMs: -1 }, outputMode: 'streamed', extra: true },
  },
  { path: {}, body: { Payload: 'file://./payload.json' } },
  'not an object',
  null,
];

describe('precompiled validators', () => {
  it('match what the schemas compile to (the check npm test runs)', async () => {
    const result = await compileValidators('--check');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/3 precompiled validators match the schemas/);
  });

  it('carry a do-not-edit banner with the command that regenerates them', () => {
    const files = readdirSync(GENERATED);
    expect(files.sort()).toEqual([
      'checked-definition.ts',
      'validate-json-schema.ts',
      'validate-manifest.ts',
      'validate-task-input.ts',
    ]);
    for (const file of files) {
      const text = readFileSync(join(GENERATED, file), 'utf8');
      expect(text).toMatch(/^\/\/ Generated by scripts\/compile-validators\.mjs from .+\. DO NOT EDIT/);
      expect(text).toContain('run `npm run typegen`');
    }
  });

  it('are reported as drift, with the command that fixes it, when a parameter schema changes', async () => {
    const schemas = copySchemas('changed');
    const query = JSON.parse(readFileSync(join(schemas, 'query.schema.json'), 'utf8'));
    query.properties.Qualifier.maxLength = 64;
    writeFileSync(join(schemas, 'query.schema.json'), JSON.stringify(query, null, 2));

    const result = await compileValidators('--check', '--schemas', schemas, '--out', GENERATED);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('validate-task-input.ts differs from what its schemas compile to');
    expect(result.stderr).not.toContain('validate-manifest.ts');
    expect(result.stderr).toContain('Fix: run `npm run typegen`');
  });

  it('are reported as drift when the manifest meta-schema changes or a validator is missing', async () => {
    const schemas = copySchemas('meta-changed');
    const meta = JSON.parse(readFileSync(join(schemas, 'manifest.schema.json'), 'utf8'));
    meta.properties.homepage = { type: 'string', format: 'uri' };
    writeFileSync(join(schemas, 'manifest.schema.json'), JSON.stringify(meta));
    const out = join(scratch, 'partial-out');
    cpSync(GENERATED, out, { recursive: true });
    rmSync(join(out, 'validate-json-schema.ts'));

    const result = await compileValidators('--check', '--schemas', schemas, '--out', out);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('validate-manifest.ts differs');
    expect(result.stderr).toContain('validate-json-schema.ts is missing');
    expect(result.stderr).not.toContain('validate-task-input.ts');
  });

  it('give the same verdict, errors and filled-in defaults as ajv compiling the schemas at run time', () => {
    const manifest = loadManifest();
    const ajv = createAjv({ useDefaults: true });
    for (const [uri, schema] of manifest.schemas) ajv.addSchema(schema as object, uri);
    const compiled = ajv.getSchema(manifest.input.uri);
    if (compiled === undefined) throw new Error('the input schema did not compile');
    const keywords = new Set<string>();
    for (const input of INPUTS) {
      const seen = both(validateTaskInput, compiled, input);
      expect(seen.precompiled).toEqual(seen.compiled);
      for (const error of seen.precompiled.errors ?? []) keywords.add(error.keyword);
    }
    // The cases above must keep reaching the task keywords, or this comparison proves little.
    expect([...keywords]).toEqual(
      expect.arrayContaining([
        'computed',
        'plainNameMaxLength',
        'maxDecodedBytes',
        'pattern',
        'format',
        'enum',
      ]),
    );
  });

  it('check manifests and schemas exactly as ajv does', () => {
    const metaSchema = JSON.parse(readFileSync(packagePath('schemas', 'manifest.schema.json'), 'utf8'));
    const compiledManifest = createAjv().compile(metaSchema);
    const real = JSON.parse(readFileSync(packagePath('manifest.json'), 'utf8'));
    const broken = structuredClone(real);
    broken.operation.method = 'FETCH';
    delete broken.auth;
    broken.response.successStatus = ['200'];
    for (const manifest of [real, broken, {}, []]) {
      const seen = both(validateManifestSchema, compiledManifest, manifest);
      expect(seen.precompiled).toEqual(seen.compiled);
    }
    expect(validateManifestSchema(broken)).toBe(false);

    const checker = createAjv();
    for (const schema of [
      { type: 'string', minLength: 1 },
      { type: 'strng', required: 'x', properties: { a: { minimum: '1' } } },
      { $ref: 5, enum: [] },
    ]) {
      const valid = validateJsonSchema(schema);
      expect(valid).toBe(checker.validateSchema(schema));
      expect(validateJsonSchema.errors ?? null).toEqual(checker.errors ?? null);
    }
  });

  it('are not used for a definition whose schemas differ: an edited rule is enforced, not the stale one', () => {
    // A copy of the packaged definition whose Qualifier allows at most 3 characters.
    const dir = join(scratch, 'edited-definition');
    cpSync(packagePath('schemas'), join(dir, 'schemas'), { recursive: true });
    cpSync(packagePath('manifest.json'), join(dir, 'manifest.json'));
    const queryFile = join(dir, 'schemas', 'query.schema.json');
    const query = JSON.parse(readFileSync(queryFile, 'utf8'));
    query.properties.Qualifier.maxLength = 3;
    writeFileSync(queryFile, JSON.stringify(query));

    const input = { path: { FunctionName: 'my-fn' }, query: { Qualifier: 'prod' } };
    expect(validateInput(input)).toEqual([]);
    expect(validateInput(input, loadManifest(join(dir, 'manifest.json')))).toEqual([
      {
        location: 'query',
        path: 'query.Qualifier',
        keyword: 'maxLength',
        message: 'query.Qualifier must be at most 3 characters long',
      },
    ]);
  });
});

// loadManifest() skips the meta-schema checks for files whose digest `npm run typegen` recorded after
// checking them (they cost ~15 ms of a cold start). These prove the skip is only ever taken for those
// exact files: any edit changes the digest, and the edited file is checked in full.
describe('checked-definition digests', () => {
  function copyDefinition(name: string): string {
    const dir = join(scratch, name);
    cpSync(packagePath('schemas'), join(dir, 'schemas'), { recursive: true });
    cpSync(packagePath('manifest.json'), join(dir, 'manifest.json'));
    return dir;
  }

  it('are the digests of the packaged manifest and of every packaged schema', () => {
    const manifest = JSON.parse(readFileSync(packagePath('manifest.json'), 'utf8')) as unknown;
    expect(checkedManifestDigests).toEqual([contentDigest(manifest)]);
    const schemas = readdirSync(packagePath('schemas'))
      .filter((f) => f.endsWith('.schema.json'))
      .map((f) => contentDigest(JSON.parse(readFileSync(packagePath('schemas', f), 'utf8'))));
    expect([...checkedSchemaDigests].sort()).toEqual([...new Set(schemas)].sort());
  });

  it('let an identical copy of the definition load from another folder', () => {
    const dir = copyDefinition('identical');
    expect(loadManifest(join(dir, 'manifest.json')).operation.name).toBe('InvokeWithResponseStream');
  });

  it('do not spare an edited manifest its meta-schema check', () => {
    const dir = copyDefinition('edited-manifest');
    const file = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    manifest.displayName = '';
    writeFileSync(file, JSON.stringify(manifest));
    const error = (() => {
      try {
        loadManifest(file);
      } catch (e: unknown) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DefinitionError);
    expect((error as DefinitionError).issues.map((i) => i.path)).toContain('displayName');
  });

  it('do not spare an edited schema its draft-07 check', () => {
    const dir = copyDefinition('edited-schema');
    const file = join(dir, 'schemas', 'query.schema.json');
    const query = JSON.parse(readFileSync(file, 'utf8')) as { properties: { Qualifier: object } };
    query.properties.Qualifier = { type: 'no-such-type' };
    writeFileSync(file, JSON.stringify(query));
    expect(() => loadManifest(join(dir, 'manifest.json'))).toThrow(/not a valid JSON Schema/);
  });

  it('are reported as drift, with the command that fixes it, when the manifest changes', async () => {
    const dir = copyDefinition('manifest-drift');
    const file = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    manifest.description = `${String(manifest.description)} (edited)`;
    writeFileSync(file, JSON.stringify(manifest));
    const result = await compileValidators('--check', '--manifest', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('checked-definition.ts differs');
    expect(result.stderr).toContain('Fix: run `npm run typegen`');
  });
});
