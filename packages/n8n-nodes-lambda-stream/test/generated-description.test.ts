/**
 * The node's panel comes from the task's schemas: the generated description is up to date, and
 * it carries the schemas' parameters, enums, defaults and bounds.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import type { INodeProperties } from 'n8n-workflow';
import { credentialProperties, nodeProperties } from '../src/node-description.js';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const schema = (name: string) =>
  JSON.parse(readFileSync(require.resolve(`lambda-stream-task/schemas/${name}`), 'utf8')) as {
    properties: Record<string, Record<string, unknown>>;
  };
const field = (name: string, list: INodeProperties[] = nodeProperties) => list.find((p) => p.name === name);

describe('generated node description', () => {
  it('is what the generator writes from the current schemas (drift check)', async () => {
    const run = promisify(execFile);
    await expect(
      run(process.execPath, [join(packageRoot, 'scripts', 'generate-properties.mjs'), '--check']),
    ).resolves.toBeDefined();
  });

  it("has a field for every header the caller may set, with the schema's values, and none for the signer's", () => {
    for (const [name, member] of Object.entries(schema('headers.schema.json').properties)) {
      const key = name.replace(/^X-Amz-/, '');
      const fieldName =
        key.charAt(0).toLowerCase() + key.slice(1).replace(/-(.)/g, (_, c: string) => c.toUpperCase());
      if (member['x-computed'] === true) {
        expect(field(fieldName)).toBeUndefined();
        continue;
      }
      expect(field(fieldName)?.description).toContain(String(member.description).split('`')[0]);
      if (Array.isArray(member.enum)) {
        const options = (field(fieldName)?.options ?? []) as Array<{ value: unknown }>;
        const values = options.map((o) => o.value);
        expect(values.filter((v) => v !== '')).toEqual(member.enum);
      }
    }
  });

  it('turns each settings group into a collection with the bounds and defaults of the schema', () => {
    const timeouts = schema('settings.schema.json').properties.timeouts as {
      properties: Record<string, { minimum: number; maximum: number; default: number }>;
    };
    const options = field('timeouts')?.options as INodeProperties[];
    expect(options.map((o) => o.name)).toEqual(Object.keys(timeouts.properties));
    for (const option of options) {
      const member = timeouts.properties[option.name];
      expect(option).toMatchObject({
        type: 'number',
        default: member?.default,
        typeOptions: { minValue: member?.minimum, maxValue: member?.maximum },
      });
    }
  });

  it("offers every output encoding of the schema but bytes, whose Uint8Array an n8n item's JSON cannot carry", () => {
    const encodings = schema('settings.schema.json').properties.outputEncoding?.enum as string[];
    expect(encodings).toContain('bytes');
    const options = (field('outputEncoding')?.options ?? []) as Array<{ value: unknown }>;
    expect(options.map((o) => o.value)).toEqual(encodings.filter((e) => e !== 'bytes'));
  });

  it('keeps region, endpoint and keys in the credential, secrets as passwords', () => {
    for (const name of ['region', 'endpoint']) {
      expect(field(name)).toBeUndefined();
      expect(field(name, credentialProperties)).toBeDefined();
    }
    expect(field('secretAccessKey', credentialProperties)?.typeOptions).toEqual({ password: true });
    expect(field('sessionToken', credentialProperties)?.typeOptions).toEqual({ password: true });
  });
});
