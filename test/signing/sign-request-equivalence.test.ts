// The signer is our own code (for speed): it must sign exactly as @smithy/signature-v4, the AWS
// SDK's signer, on every request shape the task can send. Generated requests, seeded, compared
// header for header; the public SigV4 suite runs through it in sigv4-adapter-vectors.test.ts.

import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentials } from '../../src/signing/credentials.js';
import { type SignableRequest, signRequest } from '../../src/signing/sign-request.js';

/** What the AWS SDK's signer makes of the same request. */
async function reference(
  request: SignableRequest,
  credentials: AwsCredentials,
  scope: { region: string; service: string },
  signingDate: Date,
  applyChecksum: boolean,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    credentials,
    region: scope.region,
    service: scope.service,
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: request.protocol,
      hostname: request.hostname,
      path: request.pathname,
      query: request.query,
      headers: request.headers,
      body: request.body,
    },
    { signingDate },
  );
  return signed.headers as Record<string, string>;
}

function generator(seed: number) {
  let state = seed;
  const next = (n: number): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state >>> 8) % n;
  };
  const pick = <T>(items: readonly T[]): T => items[next(items.length)]!;
  return { next, pick };
}

const PIECES = ['f', 'my-fn', 'fn%3Aprod', 'a%20b', '..', '.', '', 'x~y', 'caf%C3%A9', "o'k", '(p)', '*'];
const QUERY_KEYS = ['Qualifier', 'a', 'B', 'x y', 'ü', 'k*', 'X-Amz-Signature', 'z~', '_'];
const QUERY_VALUES = ['$LATEST', '1', '', 'a b', 'é', "it's", '/path', '+plus'];
const HEADERS: Array<[string, string]> = [
  ['Content-Type', 'application/json'],
  ['X-Amz-Log-Type', 'Tail'],
  ['x-amz-invocation-type', '  RequestResponse  '],
  ['X-Amz-Client-Context', 'eyJhIjoxfQ=='],
  ['User-Agent', 'lambda-stream-task/0.1'],
  ['Connection', 'keep-alive'],
  ['proxy-authorization', 'Basic x'],
  ['sec-fetch-mode', 'cors'],
  ['x-custom', 'a   b\tc'],
  ['Date', 'Tue, 01 Dec 2026 12:00:00 GMT'],
  ['Authorization', 'stale'],
  ['X-Amz-Date', '20000101T000000Z'],
  ['X-Amz-Content-Sha256', 'UNSIGNED-PAYLOAD'],
  ['X-Amz-Tenant-Id', 'tenant-1'],
];

const REQUEST: SignableRequest = {
  method: 'POST',
  protocol: 'https:',
  hostname: 'lambda.us-east-1.amazonaws.com',
  pathname: '/2021-11-15/functions/f/response-streaming-invocations',
  query: {},
  headers: { host: 'lambda.us-east-1.amazonaws.com' },
  body: Buffer.from('{}'),
};

describe('signRequest signs exactly as the AWS SDK signer', () => {
  it('on 2,000 generated requests: paths, queries, headers, bodies, tokens, dates, regions', async () => {
    const { next, pick } = generator(20261201);
    for (let i = 0; i < 2000; i++) {
      const segments = Array.from({ length: 1 + next(3) }, () => pick(PIECES)).join('/');
      const pathname = `/2021-11-15/functions/${segments}${next(4) === 0 ? '/' : ''}`;
      const query: Record<string, string> = {};
      for (let q = next(4); q > 0; q--) query[pick(QUERY_KEYS)] = pick(QUERY_VALUES);
      const host = pick(['lambda.us-east-1.amazonaws.com', '127.0.0.1:9001']);
      const headers: Record<string, string> = { host };
      for (let h = next(6); h > 0; h--) {
        const [name, value] = pick(HEADERS);
        headers[name] = value;
      }
      const credentials: AwsCredentials = {
        accessKeyId: pick(['AKIDEXAMPLE', 'ASIAXXXX']),
        secretAccessKey: pick(['wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', 'secret', 's+/=']),
        ...(next(2) === 0 ? { sessionToken: pick(['token', 'IQoJb3JpZ2luX2Vj/+==']) } : {}),
      };
      const scope = {
        region: pick(['us-east-1', 'eu-west-1', 'eusc-de-east-1', 'cn-north-1']),
        service: pick(['lambda', 'execute-api']),
      };
      const signingDate = new Date(
        Date.UTC(2026, next(12), 1 + next(28), next(24), next(60), next(60), next(1000)),
      );
      const applyChecksum = next(3) !== 0;
      const request: SignableRequest = {
        method: pick(['POST', 'GET']),
        protocol: 'https:',
        hostname: host,
        pathname,
        query,
        headers,
        body: Buffer.from(pick(['', '{}', '{"a":1}', 'x'.repeat(next(5000))])),
      };
      const before = JSON.stringify(request.headers);
      const ours = await signRequest(request, { credentials, ...scope, signingDate, applyChecksum });
      expect(ours).toEqual(await reference(request, credentials, scope, signingDate, applyChecksum));
      expect(JSON.stringify(request.headers)).toBe(before);
    }
  });

  it('derives a new signing key for another secret, day, region or service (the cache never mixes them)', async () => {
    const day1 = new Date('2026-12-01T23:59:59Z');
    const day2 = new Date('2026-12-02T00:00:00Z');
    const a = { accessKeyId: 'AKID', secretAccessKey: 'secret-a' };
    const b = { accessKeyId: 'AKID', secretAccessKey: 'secret-b' };
    const lambda = { region: 'us-east-1', service: 'lambda' };
    const cases: Array<[AwsCredentials, { region: string; service: string }, Date]> = [
      [a, lambda, day1],
      [b, lambda, day1],
      [a, lambda, day2],
      [a, { region: 'eu-west-1', service: 'lambda' }, day1],
      [a, { region: 'us-east-1', service: 'other' }, day1],
    ];
    const signatures = new Set<string>();
    for (let round = 0; round < 3; round++) {
      for (const [credentials, scope, date] of cases) {
        const ours = await signRequest(REQUEST, { credentials, ...scope, signingDate: date });
        expect(ours).toEqual(await reference(REQUEST, credentials, scope, date, true));
        signatures.add(ours.authorization!);
      }
    }
    expect(signatures.size).toBe(cases.length);
    // Past the bound of kept keys, still right.
    for (let i = 0; i < 40; i++) {
      const credentials = { accessKeyId: 'AKID', secretAccessKey: `secret-${i}` };
      const ours = await signRequest(REQUEST, { credentials, ...lambda, signingDate: day1 });
      expect(ours).toEqual(await reference(REQUEST, credentials, lambda, day1, true));
    }
    const signed = await signRequest(REQUEST, { credentials: a, ...lambda, signingDate: day1 });
    expect(signed['x-amz-content-sha256']).toBe(createHash('sha256').update('{}').digest('hex'));
  });
});
