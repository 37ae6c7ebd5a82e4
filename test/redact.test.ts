import { describe, expect, it } from '@jest/globals';
import { redact, SecretRegistry } from '../src/redact.js';

const AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/lambda/aws4_request, ' +
  'SignedHeaders=host;x-amz-date, Signature=f94296f83f71e280152d0fc4f1f97c985d3964c36b29625912e68e311e591189';

describe('redact', () => {
  it('masks the signature and keeps only 4 characters of the key id in an Authorization header', () => {
    const out = redact(AUTHORIZATION, new SecretRegistry());
    expect(out).not.toContain('f94296f83f71e280');
    expect(out).toContain('Credential=AKID<redacted>/20150830/us-east-1/lambda/aws4_request');
    expect(out).toContain('Signature=<redacted>');
  });

  it('masks an AWS-shaped key id once, keeping its 4-character prefix', () => {
    const registry = new SecretRegistry();
    expect(redact('Credential=AKIAIOSFODNN7EXAMPLE/20150830', registry)).toBe(
      'Credential=AKIA<redacted>/20150830',
    );
  });

  it('masks session tokens in header, JSON and query forms', () => {
    const registry = new SecretRegistry();
    expect(redact('x-amz-security-token: FQoGZXIvYXdzEJr', registry)).not.toContain('FQoGZXIvYXdzEJr');
    expect(redact('{"X-Amz-Security-Token":"FQoGZXIvYXdzEJr"}', registry)).not.toContain('FQoGZXIvYXdzEJr');
    expect(redact('?X-Amz-Security-Token=FQoGZXIvYXdzEJr&a=b', registry)).not.toContain('FQoGZXIvYXdzEJr');
  });

  it('replaces registered credentials wherever they occur', () => {
    const registry = new SecretRegistry();
    registry.addCredentials({
      accessKeyId: 'LSTKEYID0001',
      secretAccessKey: 'super/secret+value',
      sessionToken: 'session-token-value',
    });
    const text = 'id LSTKEYID0001 secret super/secret+value token session-token-value';
    expect(redact(text, registry)).toBe('id LSTK<redacted> secret <redacted> token <redacted>');
  });

  it('redacts objects deeply by key and by value without touching other data', () => {
    const registry = new SecretRegistry();
    registry.add('hidden-value-123');
    const out = redact(
      {
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x', sessionToken: 'y' },
        list: ['hidden-value-123', 42, null],
        note: 'plain',
      },
      registry,
    );
    expect(out).toEqual({
      credentials: {
        accessKeyId: 'AKID<redacted>',
        secretAccessKey: '<redacted>',
        sessionToken: '<redacted>',
      },
      list: ['<redacted>', 42, null],
      note: 'plain',
    });
  });

  it('keeps a __proto__ key (an own key from JSON.parse) instead of dropping it', () => {
    // Issue 18, defect 7: assigning `out.__proto__` replaced the copy's prototype, and the key vanished.
    const out = redact(JSON.parse('{"__proto__":{"x":1},"b":2}') as object, new SecretRegistry());
    expect(JSON.stringify(out)).toBe('{"__proto__":{"x":1},"b":2}');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});
