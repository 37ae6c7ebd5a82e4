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

/**
 * The signing region, in the definition's order: its region setting, then its environment variables
 * (`AWS_REGION`, `AWS_DEFAULT_REGION` for Lambda), then, when the definition says so, the profile's
 * `region` in the shared config file (profile from the profile setting, else the definition's profile
 * variable, else `default`).
 * @example
 * resolveRegion(loadManifest().plan, { env: { AWS_REGION: 'eu-west-1' } }) // 'eu-west-1'
 */
export function resolveRegion(plan: CallPlan, sources: RegionSources): string {
  const { env } = sources;
  if (sources.settingsRegion) return sources.settingsRegion;
  for (const name of plan.regionEnv) {
    const value = env[name];
    if (value) return value;
  }
  const profile = sources.profile || env[plan.profileEnv] || 'default';
  if (plan.regionFromProfile) {
    const fromProfile = readProfileSettings(profile, env)?.region;
    if (fromProfile) return fromProfile;
  }
  const setting = `settings.${plan.settingNames.region}`;
  const variables = plan.regionEnv.length > 0 ? ` or ${plan.regionEnv.join(' / ')}` : '';
  const where = plan.regionFromProfile ? ` (or a region in profile "${profile}")` : '';
  const message = `No AWS region: set ${setting}${variables}${where}`;
  throw new InputError('MISSING_REGION', message, [
    { location: 'settings', path: setting, keyword: 'required', message },
  ]);
}
