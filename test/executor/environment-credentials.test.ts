import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { defaultChainProvider, environmentCredentials } from '../../src/signing/credentials.js';

// The executor answers from the environment variables without loading the AWS chain; that is only
// right if it returns what the chain's first link would. These run the real chain beside it.
const VARS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_PROFILE',
] as const;
let saved: Record<string, string | undefined>;

beforeEach(() => {
  saved = Object.fromEntries(VARS.map((name) => [name, process.env[name]]));
  for (const name of VARS) delete process.env[name];
});
afterEach(() => {
  for (const name of VARS) {
    const value = saved[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** The fields that take part in signing, as the SDK's chain resolves them. */
async function fromChain(): Promise<Record<string, unknown>> {
  const c = await defaultProvider()();
  return {
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    ...(c.sessionToken === undefined ? {} : { sessionToken: c.sessionToken }),
    ...(c.expiration === undefined ? {} : { expiration: c.expiration }),
  };
}

describe('credentials from the environment', () => {
  it('are what the default chain resolves for an access key pair', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDENVONLY';
    process.env.AWS_SECRET_ACCESS_KEY = 'env-secret-not-real';
    expect(environmentCredentials(undefined)).toEqual(await fromChain());
    expect(await defaultChainProvider(undefined)()).toEqual(await fromChain());
  });

  it('carry the session token and expiration as the chain does', async () => {
    process.env.AWS_ACCESS_KEY_ID = 'ASIAENVTEMP';
    process.env.AWS_SECRET_ACCESS_KEY = 'env-secret-not-real';
    process.env.AWS_SESSION_TOKEN = 'env-session-token-not-real';
    process.env.AWS_CREDENTIAL_EXPIRATION = '2099-01-02T03:04:05Z';
    const ours = environmentCredentials(undefined);
    expect(ours).toEqual(await fromChain());
    expect(ours?.expiration?.toISOString()).toBe('2099-01-02T03:04:05.000Z');
  });

  it('are not used when a profile is named, in the settings or by AWS_PROFILE (the chain skips them)', () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDENVONLY';
    process.env.AWS_SECRET_ACCESS_KEY = 'env-secret-not-real';
    expect(environmentCredentials('work')).toBeUndefined();
    process.env.AWS_PROFILE = 'work';
    expect(environmentCredentials(undefined)).toBeUndefined();
  });

  it('are absent unless both the key id and the secret are non-empty', () => {
    process.env.AWS_ACCESS_KEY_ID = 'AKIDENVONLY';
    expect(environmentCredentials(undefined)).toBeUndefined();
    process.env.AWS_SECRET_ACCESS_KEY = '';
    expect(environmentCredentials(undefined)).toBeUndefined();
    expect(
      environmentCredentials(undefined, { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 's' }),
    ).toEqual({
      accessKeyId: 'AKID',
      secretAccessKey: 's',
    });
  });
});
