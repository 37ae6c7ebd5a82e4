import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadManifest } from '../../src/definition/index.js';
import { isTaskError, type TaskError } from '../../src/errors.js';
import { retryDelay } from '../../src/execute/retry-delay.js';
import { buildRequest, requestTarget } from '../../src/request/build-request.js';
import { extendedEncodeURIComponent } from '../../src/request/extended-encode-uri-component.js';
import { readPayload } from '../../src/request/read-payload.js';
import { resolveEndpoint } from '../../src/request/resolve-endpoint.js';
import { skewOffset } from '../../src/signing/clock-skew.js';
import { CachedCredentials } from '../../src/signing/credentials.js';
import { CONFIG_RECHECK_MS } from '../../src/signing/read-shared-config.js';
import { resolveRegion } from '../../src/signing/resolve-region.js';
import { toServiceError } from '../../src/transport/service-error.js';

const manifest = loadManifest();
const endpoints = manifest.operation.endpoint;
const PLAN = manifest.plan;

function thrown(fn: () => unknown): TaskError {
  try {
    fn();
  } catch (error) {
    if (isTaskError(error)) return error;
    throw error;
  }
  throw new Error('expected a throw');
}

async function rejected(promise: Promise<unknown>): Promise<TaskError> {
  try {
    await promise;
  } catch (error) {
    if (isTaskError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('encoding', () => {
  it('encodes the RFC 3986 sub-delimiters encodeURIComponent leaves alone', () => {
    expect(extendedEncodeURIComponent("a!'()*:$/ b")).toBe('a%21%27%28%29%2A%3A%24%2F%20b');
  });

  it('builds the wire request from the definition', async () => {
    const request = await buildRequest(
      PLAN,
      {
        path: { FunctionName: '123456789012:function:f' },
        query: { Qualifier: '$LATEST' },
        body: { Payload: { a: 1 } },
      },
      new URL('http://127.0.0.1:9999/base/'),
      process.cwd(),
    );
    expect(requestTarget(request)).toBe(
      '/base/2021-11-15/functions/123456789012%3Afunction%3Af/response-streaming-invocations?Qualifier=%24LATEST',
    );
    expect(request.method).toBe('POST');
    expect(request.headers).toEqual({ host: '127.0.0.1:9999', 'Content-Type': 'application/json' });
    expect(Buffer.from(request.body).toString()).toBe('{"a":1}');
  });

  it('sends a string payload as is and keeps a given content type', async () => {
    const request = await buildRequest(
      PLAN,
      {
        path: { FunctionName: 'f' },
        headers: { 'Content-Type': 'text/plain' },
        body: { Payload: '{not json' },
      },
      new URL('https://lambda.us-east-1.amazonaws.com'),
      process.cwd(),
    );
    expect(Buffer.from(request.body).toString()).toBe('{not json');
    expect(request.headers['Content-Type']).toBe('text/plain');
  });
});

describe('file:// payloads', () => {
  it('reads relative and absolute paths at run time, and names body.Payload on failure', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'payload-'));
    try {
      await writeFile(join(dir, 'p.json'), '{"from":"file"}');
      const options = { field: 'body.Payload', cwd: dir };
      expect(Buffer.from(await readPayload('file://p.json', options)).toString()).toBe('{"from":"file"}');
      expect(Buffer.from(await readPayload(`file://${join(dir, 'p.json')}`, options)).toString()).toBe(
        '{"from":"file"}',
      );
      const missing = await rejected(readPayload('file://nope.json', options));
      expect(missing).toMatchObject({ code: 'PAYLOAD_FILE' });
      expect(missing.message).toContain('body.Payload');
      expect(missing.message).toContain('does not exist');
      const directory = await rejected(readPayload(`file://${dir}`, options));
      expect(directory.message).toContain('is a directory');
      await writeFile(join(dir, 'big.bin'), Buffer.alloc(101));
      const big = await rejected(readPayload('file://big.bin', { ...options, maxBytes: 100 }));
      expect(big).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      expect(big.message).toContain('body.Payload');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('endpoint resolution', () => {
  const at = (region: string, fips = false, dual = false) =>
    resolveEndpoint(endpoints, { region, useFips: fips, useDualStack: dual, env: {} }).origin;

  it('fills the partition templates, with FIPS and dual-stack', () => {
    expect(at('us-east-1')).toBe('https://lambda.us-east-1.amazonaws.com');
    expect(at('us-east-1', true)).toBe('https://lambda-fips.us-east-1.amazonaws.com');
    expect(at('us-east-1', false, true)).toBe('https://lambda.us-east-1.api.aws');
    expect(at('us-east-1', true, true)).toBe('https://lambda-fips.us-east-1.api.aws');
    expect(at('cn-north-1')).toBe('https://lambda.cn-north-1.amazonaws.com.cn');
    expect(at('cn-north-1', false, true)).toBe('https://lambda.cn-north-1.api.amazonwebservices.com.cn');
    expect(at('us-gov-east-1', true)).toBe('https://lambda-fips.us-gov-east-1.amazonaws.com');
    expect(at('us-iso-east-1')).toBe('https://lambda.us-iso-east-1.c2s.ic.gov');
    expect(at('us-isob-east-1')).toBe('https://lambda.us-isob-east-1.sc2s.sgov.gov');
    expect(at('xx-future-1')).toBe('https://lambda.xx-future-1.amazonaws.com');
  });

  it('prefers settings, then AWS_ENDPOINT_URL_LAMBDA, then AWS_ENDPOINT_URL', () => {
    const env = { AWS_ENDPOINT_URL_LAMBDA: 'http://lambda.local:1', AWS_ENDPOINT_URL: 'http://all.local:2' };
    const resolve = (settingsEndpoint: string | undefined, e: Record<string, string>) =>
      resolveEndpoint(endpoints, { region: 'us-east-1', settingsEndpoint, env: e }).origin;
    expect(resolve('http://settings.local:3', env)).toBe('http://settings.local:3');
    expect(resolve(undefined, env)).toBe('http://lambda.local:1');
    expect(resolve(undefined, { AWS_ENDPOINT_URL: 'http://all.local:2' })).toBe('http://all.local:2');
  });

  it('refuses a custom endpoint with FIPS or dual-stack, and a bad URL', () => {
    const fips = thrown(() =>
      resolveEndpoint(endpoints, {
        region: 'us-east-1',
        settingsEndpoint: 'http://x',
        useFips: true,
        env: {},
      }),
    );
    expect(fips).toMatchObject({ code: 'INVALID_ENDPOINT' });
    expect(fips.message).toBe('Invalid Configuration: FIPS and custom endpoint are not supported');
    const dual = thrown(() =>
      resolveEndpoint(endpoints, {
        region: 'us-east-1',
        useDualStack: true,
        env: { AWS_ENDPOINT_URL: 'http://x' },
      }),
    );
    expect(dual.message).toBe('Invalid Configuration: Dualstack and custom endpoint are not supported');
    expect(
      thrown(() => resolveEndpoint(endpoints, { region: 'us-east-1', settingsEndpoint: 'ftp://x', env: {} }))
        .code,
    ).toBe('INVALID_ENDPOINT');
  });
});

describe('region resolution', () => {
  it('uses settings, AWS_REGION, AWS_DEFAULT_REGION, then the profile in the shared config file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'awscfg-'));
    try {
      const config = join(dir, 'config');
      await writeFile(
        config,
        '[default]\nregion = eu-west-1\n\n[profile work]\n# comment\nregion=ap-south-1\n',
      );
      expect(resolveRegion(PLAN, { settingsRegion: 'us-west-2', env: { AWS_REGION: 'x' } })).toBe(
        'us-west-2',
      );
      expect(resolveRegion(PLAN, { env: { AWS_REGION: 'us-east-2', AWS_DEFAULT_REGION: 'x' } })).toBe(
        'us-east-2',
      );
      expect(resolveRegion(PLAN, { env: { AWS_DEFAULT_REGION: 'ca-central-1' } })).toBe('ca-central-1');
      expect(resolveRegion(PLAN, { env: { AWS_CONFIG_FILE: config } })).toBe('eu-west-1');
      expect(resolveRegion(PLAN, { env: { AWS_CONFIG_FILE: config, AWS_PROFILE: 'work' } })).toBe(
        'ap-south-1',
      );
      expect(resolveRegion(PLAN, { profile: 'work', env: { AWS_CONFIG_FILE: config } })).toBe('ap-south-1');
      // The file is kept between calls, looked at again after CONFIG_RECHECK_MS and read again once
      // it changed, even to the same length.
      const later = () => new Promise((resolve) => setTimeout(resolve, CONFIG_RECHECK_MS + 20));
      await writeFile(config, '[default]\nregion = eu-west-3\n');
      await later();
      expect(resolveRegion(PLAN, { env: { AWS_CONFIG_FILE: config } })).toBe('eu-west-3');
      await writeFile(config, '[default]\nregion = eu-west-2\n');
      expect(resolveRegion(PLAN, { env: { AWS_CONFIG_FILE: config } })).toBe('eu-west-3');
      await later();
      expect(resolveRegion(PLAN, { env: { AWS_CONFIG_FILE: config } })).toBe('eu-west-2');
      await rm(config);
      await later();
      expect(thrown(() => resolveRegion(PLAN, { env: { AWS_CONFIG_FILE: config } }))).toMatchObject({
        code: 'MISSING_REGION',
      });
      const missing = thrown(() => resolveRegion(PLAN, { env: { AWS_CONFIG_FILE: join(dir, 'none') } }));
      expect(missing).toMatchObject({ code: 'MISSING_REGION' });
      expect(missing.message).toContain('set settings.region or AWS_REGION');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('credentials, clock skew, retries, error mapping', () => {
  it('resolves credentials once and refreshes them within 5 minutes of expiry', async () => {
    let calls = 0;
    const cache = new CachedCredentials(async () => {
      calls++;
      return {
        accessKeyId: `AKID${calls}XXXX`,
        secretAccessKey: 's3cr3t-value',
        expiration: new Date(1_000_000 + calls * 600_000),
      };
    }, 'test');
    const [a, b] = await Promise.all([cache.get(0), cache.get(0)]);
    expect(a).toBe(b);
    expect(calls).toBe(1);
    expect((await cache.get(1_000_000)).accessKeyId).toBe('AKID1XXXX'); // 10 min left
    expect((await cache.get(1_400_000)).accessKeyId).toBe('AKID2XXXX'); // under 5 min left
    expect(calls).toBe(2);
    const failing = new CachedCredentials(
      () => Promise.reject(new Error('no profile')),
      'the AWS credential chain',
    );
    await expect(failing.get(0)).rejects.toMatchObject({ code: 'CREDENTIALS_UNAVAILABLE' });
  });

  it('recognises clock skew answers', () => {
    const serverDate = 'Wed, 01 Jan 2031 00:00:00 GMT';
    const local = Date.parse('2031-01-01T00:10:00Z');
    expect(
      skewOffset(
        {
          statusCode: 403,
          awsErrorType: 'InvalidSignatureException',
          awsMessage: 'Signature expired: …',
          serverDate,
        },
        local,
      ),
    ).toBe(-600_000);
    expect(skewOffset({ statusCode: 400, awsErrorType: 'RequestTimeTooSkewed', serverDate }, local)).toBe(
      -600_000,
    );
    expect(skewOffset({ statusCode: 403, awsErrorType: 'AccessDenied', serverDate }, local)).toBe(-600_000);
    expect(
      skewOffset({ statusCode: 403, awsErrorType: 'AccessDenied', serverDate }, Date.parse(serverDate)),
    ).toBeUndefined();
    expect(
      skewOffset({ statusCode: 404, awsErrorType: 'ResourceNotFoundException', serverDate }, local),
    ).toBeUndefined();
  });

  it('backs off exponentially with full jitter, never below Retry-After', () => {
    const policy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(retryDelay(1, policy, () => 0.5, undefined)).toBe(50);
    expect(retryDelay(3, policy, () => 0.5, undefined)).toBe(200);
    expect(retryDelay(10, policy, () => 0.999, undefined)).toBe(999);
    expect(retryDelay(1, policy, () => 0, 0.5)).toBe(500);
    expect(retryDelay(1, policy, () => 0, 2)).toBeUndefined();
  });

  it('maps error answers as the SDKs do', () => {
    const context = { errors: PLAN.errors, requestIdHeaders: ['x-amzn-requestid'], nowMs: 0 };
    const fromBody = toServiceError(
      400,
      {},
      Buffer.from('{"__type":"com.amazon#InvalidParameterValueException","Message":"bad"}'),
      context,
    );
    expect(fromBody).toMatchObject({
      awsErrorType: 'InvalidParameterValueException',
      awsMessage: 'bad',
      code: 'SERVICE_ERROR',
    });
    const throttled = toServiceError(
      502,
      { 'x-amzn-errortype': 'EC2ThrottledException' },
      Buffer.from('{}'),
      {
        ...context,
        errors: {
          ...PLAN.errors,
          retryClassOf: (t) => (t === 'EC2ThrottledException' ? 'throttling' : undefined),
        },
      },
    );
    expect(throttled).toMatchObject({ code: 'THROTTLED', retryable: true });
    const notJson = toServiceError(503, { 'x-amz-request-id': 'r1' }, Buffer.from('upstream down'), {
      ...context,
      requestIdHeaders: ['x-amzn-requestid', 'x-amz-request-id'],
    });
    expect(notJson).toMatchObject({
      code: 'SERVICE_ERROR',
      retryable: true,
      awsMessage: 'upstream down',
      requestId: 'r1',
    });
  });
});
