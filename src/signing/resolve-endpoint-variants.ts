/**
 * FIPS and dual-stack endpoints, chosen as the AWS SDKs choose them: the task's setting when it is
 * set, else `AWS_USE_FIPS_ENDPOINT` / `AWS_USE_DUALSTACK_ENDPOINT`, else `use_fips_endpoint` /
 * `use_dualstack_endpoint` in the profile of the shared config file, else off. The names are AWS-wide
 * conventions (every service's SDK client reads them), not part of any one API, so they live here
 * beside the shared-config reader rather than in a definition.
 */
import { InputError } from '../errors.js';
import { readProfileSettings } from './read-shared-config.js';

/** The environment variable and profile key of each endpoint variant. */
export const ENDPOINT_VARIANT_CONVENTIONS = Object.freeze({
  fips: { env: 'AWS_USE_FIPS_ENDPOINT', profileKey: 'use_fips_endpoint' },
  dualStack: { env: 'AWS_USE_DUALSTACK_ENDPOINT', profileKey: 'use_dualstack_endpoint' },
});

/** One variant's value and where it came from (for messages). */
export interface EndpointVariant {
  enabled: boolean;
  /** `settings.useFipsEndpoint`, `AWS_USE_FIPS_ENDPOINT`, `use_fips_endpoint in profile "work"`; undefined when off by default. */
  origin: string | undefined;
}

export interface EndpointVariantSources {
  /** The settings' values (`undefined` when not set) and their field names. */
  fipsSetting: { value: unknown; field: string };
  dualStackSetting: { value: unknown; field: string };
  /** The profile whose keys are read. */
  profile: string;
  env: Readonly<Record<string, string | undefined>>;
}

function parseFlag(text: string, origin: string): boolean {
  const value = text.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  const message = `${origin} must be "true" or "false", not ${JSON.stringify(text.slice(0, 32))}`;
  throw new InputError('INVALID_INPUT', message, [
    { location: 'settings', path: origin, keyword: 'enum', message },
  ]);
}

/**
 * Resolve both variants. The profile file is read only when a variant is set neither in the settings
 * nor in the environment.
 * @example
 * resolveEndpointVariants({ fipsSetting: { value: undefined, field: 'settings.useFipsEndpoint' }, dualStackSetting: { value: true, field: 'settings.useDualstackEndpoint' }, profile: 'default', env: { AWS_USE_FIPS_ENDPOINT: 'true' } })
 * // { fips: { enabled: true, origin: 'AWS_USE_FIPS_ENDPOINT' }, dualStack: { enabled: true, origin: 'settings.useDualstackEndpoint' } }
 */
export function resolveEndpointVariants(sources: EndpointVariantSources): {
  fips: EndpointVariant;
  dualStack: EndpointVariant;
} {
  let profileSettings: Record<string, string> | undefined | null = null;
  const resolve = (
    setting: { value: unknown; field: string },
    names: { env: string; profileKey: string },
  ): EndpointVariant => {
    if (typeof setting.value === 'boolean') return { enabled: setting.value, origin: setting.field };
    const fromEnv = sources.env[names.env];
    if (fromEnv !== undefined && fromEnv !== '')
      return { enabled: parseFlag(fromEnv, names.env), origin: names.env };
    if (profileSettings === null) profileSettings = readProfileSettings(sources.profile, sources.env);
    const fromProfile = profileSettings?.[names.profileKey];
    if (fromProfile !== undefined && fromProfile !== '') {
      const origin = `${names.profileKey} in profile "${sources.profile}"`;
      return { enabled: parseFlag(fromProfile, origin), origin };
    }
    return { enabled: false, origin: undefined };
  };
  return {
    fips: resolve(sources.fipsSetting, ENDPOINT_VARIANT_CONVENTIONS.fips),
    dualStack: resolve(sources.dualStackSetting, ENDPOINT_VARIANT_CONVENTIONS.dualStack),
  };
}
