import type { CallPlan } from '../definition/call-plan.js';
import { InputError } from '../errors.js';
import { readProfileSettings } from './read-shared-config.js';

export interface RegionSources {
  /** The value of the definition's region setting. */
  settingsRegion?: string | undefined;
  /** The value of the definition's profile setting. */
  profile?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
}

/** A region and where it came from (`settings.region`, `AWS_REGION`, `profile "work"`), for messages. */
export interface ResolvedRegion {
  region: string;
  origin: string;
  /** True when the definition's region setting gave it. */
  fromSetting: boolean;
}

/**
 * The signing region, in the definition's order: its region setting, then its environment variables
 * (`AWS_REGION`, `AWS_DEFAULT_REGION` for Lambda), then, when the definition says so, the profile's
 * `region` in the shared config file (profile from the profile setting, else the definition's profile
 * variable, else `default`).
 * @example
 * resolveRegion(loadManifest().plan, { env: { AWS_REGION: 'eu-west-1' } }) // 'eu-west-1'
 */
export function resolveRegion(plan: CallPlan, sources: RegionSources): string {
  return resolveRegionWithOrigin(plan, sources).region;
}

/**
 * {@link resolveRegion}, saying where the region came from.
 * @example
 * resolveRegionWithOrigin(plan, { env: { AWS_REGION: 'eu-west-1' } }) // { region: 'eu-west-1', origin: 'AWS_REGION', fromSetting: false }
 */
export function resolveRegionWithOrigin(plan: CallPlan, sources: RegionSources): ResolvedRegion {
  const { env } = sources;
  const setting = `settings.${plan.settingNames.region}`;
  if (sources.settingsRegion) return { region: sources.settingsRegion, origin: setting, fromSetting: true };
  for (const name of plan.regionEnv) {
    const value = env[name];
    if (value) return { region: value, origin: name, fromSetting: false };
  }
  const profile = sources.profile || env[plan.profileEnv] || 'default';
  if (plan.regionFromProfile) {
    const fromProfile = readProfileSettings(profile, env)?.region;
    if (fromProfile)
      return { region: fromProfile, origin: `the region of profile "${profile}"`, fromSetting: false };
  }
  const variables = plan.regionEnv.length > 0 ? ` or ${plan.regionEnv.join(' / ')}` : '';
  const where = plan.regionFromProfile ? ` (or a region in profile "${profile}")` : '';
  const message = `No AWS region: set ${setting}${variables}${where}`;
  throw new InputError('MISSING_REGION', message, [
    { location: 'settings', path: setting, keyword: 'required', message },
  ]);
}
