import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { isComputedHeader } from '../../src/definition/accessors.js';
import { loadManifest } from '../../src/definition/load-manifest.js';
import { InputError } from '../../src/errors.js';
import { packagePath } from '../../src/paths.js';
import { assertValidInput, validateInput } from '../../src/validation/validate-input.js';

const SIGNER_HEADERS = [
  'Authorization',
  'X-Amz-Date',
  'X-Amz-Content-Sha256',
  'X-Amz-Security-Token',
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
];

const headersSchema = JSON.parse(readFileSync(packagePath('schemas', 'headers.schema.json'), 'utf8')) as {
  properties: Record<string, Record<string, unknown>>;
};

describe('headers computed by the SigV4 signer', () => {
  it('are listed in the header schema, read-only and marked computed, so a designer can hide them', () => {
    for (const name of SIGNER_HEADERS) {
      expect(headersSchema.properties[name]).toMatchObject({ readOnly: true, 'x-computed': true });
    }
    const computed = Object.entries(headersSchema.properties)
      .filter(([, p]) => p['x-computed'] === true)
      .map(([name]) => name);
    expect(computed.sort()).toEqual([...SIGNER_HEADERS].sort());
    expect([...loadManifest().auth.computedHeaders].sort()).toEqual([...SIGNER_HEADERS].sort());
  });

  it.each(SIGNER_HEADERS)('rejects an input that sets %s, saying the signer computes it', (name) => {
    expect(validateInput({ path: { FunctionName: 'f' }, headers: { [name]: 'anything' } })).toEqual([
      {
        location: 'headers',
        path: `headers.${name}`,
        keyword: 'computed',
        message: `headers.${name} is computed by the SigV4 signer and must not be set in the input`,
      },
    ]);
  });

  it('rejects them under any casing', () => {
    const issues = validateInput({
      path: { FunctionName: 'f' },
      headers: { authorization: 'x', 'x-amz-date': 'y' },
    });
    expect(issues.map((i) => i.path)).toEqual(['headers.Authorization', 'headers.X-Amz-Date']);
    expect(isComputedHeader(loadManifest(), 'x-AMZ-security-token')).toBe(true);
    expect(isComputedHeader(loadManifest(), 'X-Amz-Log-Type')).toBe(false);
  });

  it('throws COMPUTED_HEADER when that is the only kind of problem, INVALID_INPUT when mixed', () => {
    const only = () =>
      assertValidInput({ path: { FunctionName: 'f' }, headers: { 'X-Amz-Signature': 'abc' } });
    expect(only).toThrow(InputError);
    expect(only).toThrow(expect.objectContaining({ code: 'COMPUTED_HEADER' }));
    const mixed = () =>
      assertValidInput({ path: { FunctionName: '' }, headers: { 'X-Amz-Signature': 'abc' } });
    expect(mixed).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('does not repeat the value that was set (a token or signature is a secret)', () => {
    const secret = 'FwoGZXIvYXdzEJr-session-token-value';
    let error: unknown;
    try {
      assertValidInput({ path: { FunctionName: 'f' }, headers: { 'X-Amz-Security-Token': secret } });
    } catch (e: unknown) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(JSON.stringify((error as InputError).toJSON())).not.toContain(secret);
    expect((error as InputError).message).not.toContain(secret);
  });
});
