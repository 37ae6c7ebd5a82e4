import { InputError } from '../errors.js';
import { secrets } from '../redact.js';

/** AWS credentials. `expiration` marks temporary ones. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** A function that resolves credentials (e.g. from an engine's secret store). */
export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

/** Credentials this close to expiry are refreshed before use (as the SDKs do). */
export const REFRESH_WINDOW_MS = 5 * 60_000;

function unavailable(cause: unknown, where: string): InputError {
  const why = cause instanceof Error ? cause.message : String(cause);
  const message = `No AWS credentials from ${where}: ${why}`;
  return new InputError(
    'CREDENTIALS_UNAVAILABLE',
    message,
    [{ location: 'settings', path: 'settings.credentials', keyword: 'credentials', message }],
    { cause },
  );
}

/**
 * Credentials as the signer needs them, registered for redaction; an InputError naming the field
 * (never the value) when they are missing or cannot travel in an HTTP header.
 */
export function checkCredentials(value: unknown, where: string): AwsCredentials {
  const c = value as Partial<AwsCredentials> | null;
  if (!c || typeof c.accessKeyId !== 'string' || typeof c.secretAccessKey !== 'string' || !c.accessKeyId) {
    throw unavailable(new Error('the provider returned no access key id and secret'), where);
  }
  // Registered the moment they exist, so no later message can leak them.
  secrets.addCredentials({
    accessKeyId: c.accessKeyId,
    secretAccessKey: c.secretAccessKey,
    ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}),
  });
  // The key id and token travel in HTTP headers: a control character or non-ASCII text there would
  // fail inside node:http with an untyped error after signing. Refuse it here, naming the field.
  for (const field of ['accessKeyId', 'secretAccessKey', 'sessionToken'] as const) {
    const value = c[field];
    if (value !== undefined && value !== '' && (typeof value !== 'string' || !PRINTABLE_ASCII.test(value))) {
      throw unavailable(
        new Error(`${field} must be printable ASCII text (it has a control or non-ASCII character)`),
        where,
      );
    }
  }
  return c as AwsCredentials;
}

/** Visible ASCII only: what AWS key ids, secrets and session tokens are made of. */
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * One credential source, resolved once and cached; refreshed when the cached credentials are
 * within {@link REFRESH_WINDOW_MS} of their expiration. Concurrent calls share one resolution.
 * @example
 * const cache = new CachedCredentials(async () => ({ accessKeyId: 'AKID', secretAccessKey: 'SECRET' }), 'context.credentials')
 * await cache.get(Date.now())
 */
export class CachedCredentials {
  private current: AwsCredentials | undefined;
  private pending: Promise<AwsCredentials> | undefined;

  constructor(
    private readonly provider: AwsCredentialsProvider,
    private readonly where: string,
  ) {}

  /** Valid credentials at time `nowMs`. */
  get(nowMs: number): Promise<AwsCredentials> {
    const c = this.current;
    if (c && (c.expiration === undefined || c.expiration.getTime() - nowMs > REFRESH_WINDOW_MS)) {
      return Promise.resolve(c);
    }
    this.pending ??= this.provider().then(
      (value) => {
        this.pending = undefined;
        this.current = checkCredentials(value, this.where);
        return this.current;
      },
      (error: unknown) => {
        this.pending = undefined;
        throw error instanceof InputError ? error : unavailable(error, this.where);
      },
    );
    return this.pending;
  }
}

/**
 * Credentials from `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` (with `AWS_SESSION_TOKEN` and
 * `AWS_CREDENTIAL_EXPIRATION`), or `undefined` when the chain would not take them from there.
 *
 * This is exactly the default chain's first link, without loading the chain: `defaultProvider` of
 * @aws-sdk/credential-provider-node skips the environment when a profile is named (its `profile`
 * option, else `AWS_PROFILE`) and otherwise returns `fromEnv()` whenever both variables are non-empty,
 * reading `process.env` and nothing else. Scope and account id, which it also copies, do not take part
 * in SigV4 signing.
 */
/** The environment variables of the AWS credential convention (for a command a user pastes, say). */
export const CREDENTIAL_VARIABLES = Object.freeze({
  accessKeyId: 'AWS_ACCESS_KEY_ID',
  secretAccessKey: 'AWS_SECRET_ACCESS_KEY',
  sessionToken: 'AWS_SESSION_TOKEN',
});

/** The SigV4 header that carries a session token. */
export const SECURITY_TOKEN_HEADER = 'x-amz-security-token';

export function environmentCredentials(
  profile: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): AwsCredentials | undefined {
  if (profile || env.AWS_PROFILE) return undefined;
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = env.AWS_SESSION_TOKEN;
  const expiration = env.AWS_CREDENTIAL_EXPIRATION;
  return {
    accessKeyId,
    secretAccessKey,
    ...(sessionToken ? { sessionToken } : {}),
    ...(expiration ? { expiration: new Date(expiration) } : {}),
  };
}

/**
 * The standard AWS chain (environment incl. `AWS_SESSION_TOKEN`, SSO, web identity, shared
 * files with the profile, container and instance metadata). Loading the chain costs tens of milliseconds
 * of a cold start, so it is loaded only when the environment variables alone do not answer (see
 * {@link environmentCredentials}).
 */
export function defaultChainProvider(profile: string | undefined): AwsCredentialsProvider {
  let provider: AwsCredentialsProvider | undefined;
  return async () => {
    const fromEnvironment = environmentCredentials(profile);
    if (fromEnvironment !== undefined) return fromEnvironment;
    if (provider === undefined) {
      const { defaultProvider } = await import('@aws-sdk/credential-provider-node');
      provider = defaultProvider(profile === undefined ? {} : { profile }) as AwsCredentialsProvider;
    }
    return provider();
  };
}
