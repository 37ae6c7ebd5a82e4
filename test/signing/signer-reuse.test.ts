// Signers are reused across calls (their derived signing key is cached): a reused signer must sign
// exactly as a fresh one does, and never with another identity's credentials or scope.

import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentials } from '../../src/signing/credentials.js';
import { type SignableRequest, signRequest } from '../../src/signing/sign-request.js';

const request: SignableRequest = {
  method: 'POST',
  protocol: 'https:',
  hostname: 'lambda.us-east-1.amazonaws.com',
  pathname: '/2021-11-15/functions/f/response-streaming-invocations',
  query: {},
  headers: { host: 'lambda.us-east-1.amazonaws.com', 'content-type': 'application/json' },
  body: Buffer.from('{"a":1}'),
};
const signingDate = new Date('2026-12-01T12:00:00Z');

/** What a signer made just for this request (the library's own hash) gives. */
async function fresh(credentials: AwsCredentials, region: string, service: string) {
  const signer = new SignatureV4({
    credentials,
    region,
    service,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: true,
  });
  const headers = {
    ...request.headers,
    'x-amz-content-sha256': createHash('sha256').update(request.body).digest('hex'),
  };
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: request.protocol,
      hostname: request.hostname,
      path: request.pathname,
      query: request.query,
      headers,
      body: request.body,
    },
    { signingDate },
  );
  return signed.headers as Record<string, string>;
}

describe('signer reuse', () => {
  const a = { accessKeyId: 'AKIDAAAA', secretAccessKey: 'secret-a' };
  const b = { accessKeyId: 'AKIDAAAA', secretAccessKey: 'secret-b' };
  const temporary = { ...a, sessionToken: 'token-1' };

  it('signs every identity and scope as a fresh signer would, whatever was signed before', async () => {
    const cases: Array<[AwsCredentials, string, string]> = [
      [a, 'us-east-1', 'lambda'],
      [b, 'us-east-1', 'lambda'],
      [a, 'eu-west-1', 'lambda'],
      [a, 'us-east-1', 'other'],
      [temporary, 'us-east-1', 'lambda'],
      [{ ...temporary, sessionToken: 'token-2' }, 'us-east-1', 'lambda'],
      [a, 'us-east-1', 'lambda'],
    ];
    const seen = new Set<string>();
    for (const [credentials, region, service] of cases) {
      const got = await signRequest(request, { credentials, region, service, signingDate });
      expect(got).toEqual(await fresh(credentials, region, service));
      seen.add(got.authorization!);
    }
    // Six distinct identities or scopes, six distinct signatures (the last case repeats the first).
    expect(seen.size).toBe(6);
  });

  it('keeps working past the bound of kept signers', async () => {
    for (let i = 0; i < 40; i++) {
      const credentials = { accessKeyId: `AKID${i}`, secretAccessKey: `secret-${i}` };
      const got = await signRequest(request, {
        credentials,
        region: 'us-east-1',
        service: 'lambda',
        signingDate,
      });
      expect(got).toEqual(await fresh(credentials, 'us-east-1', 'lambda'));
    }
  });
});
