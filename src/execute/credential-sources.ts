import {
  type AwsCredentials,
  type AwsCredentialsProvider,
  CachedCredentials,
  checkCredentials,
  defaultChainProvider,
} from '../signing/credentials.js';

/** Where a call's credentials come from, resolved lazily (a provider is asked only when signing). */
export type CredentialSource = (nowMs: number) => Promise<AwsCredentials>;

/**
 * The credential caches of one executor: a host's provider is cached per provider, the AWS chain per
 * profile, so repeated calls sign without asking again until the credentials near expiry.
 * @example
 * const source = sources.for(context.credentials, settings.credentials, settings.profile, 'settings.credentials')
 * const credentials = await source(Date.now())
 */
export class CredentialSources {
  readonly #chains = new Map<string, CachedCredentials>();
  readonly #providers = new WeakMap<AwsCredentialsProvider, CachedCredentials>();

  /**
   * The host's credentials (or provider) first, then the credentials setting, then the AWS chain
   * with the profile. `settingField` names the setting in messages.
   */
  for(
    given: AwsCredentials | AwsCredentialsProvider | undefined,
    setting: unknown,
    profile: string | undefined,
    settingField: string,
  ): CredentialSource {
    if (typeof given === 'function') {
      let cached = this.#providers.get(given);
      if (cached === undefined) {
        cached = new CachedCredentials(given, 'context.credentials');
        this.#providers.set(given, cached);
      }
      const c = cached;
      return (nowMs) => c.get(nowMs);
    }
    const fixed = given ?? setting;
    if (fixed !== undefined) {
      const ok = checkCredentials(fixed, given === undefined ? settingField : 'context.credentials');
      return () => Promise.resolve(ok);
    }
    const key = profile ?? '';
    let chain = this.#chains.get(key);
    if (chain === undefined) {
      chain = new CachedCredentials(defaultChainProvider(profile), 'the AWS credential chain');
      this.#chains.set(key, chain);
    }
    const c = chain;
    return (nowMs) => c.get(nowMs);
  }
}
