import { InputError } from '../errors.js';
import { readProfileSettings } from './read-shared-config.js';

export interface RegionSources {
  settingsRegion?: string | undefined;
  profile?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * The signing region: `settings.region`, then `AWS_REGION`, `AWS_DEFAULT_REGION`, then the
 * profile's `region` in the shared config file (profile from settings, else `AWS_PROFILE`, else
 * `default`).
 * @example
 * resolveRegion({ settingsRegion: undefined, env: { AWS_REGION: 'eu-west-1' } }) // 'eu-west-1'
 */
export function resolveRegion(sources: RegionSources): string {
  const { env } = sources;
  const direct = sources.settingsRegion || env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (direct) return direct;
  const profile = sources.profile || env.AWS_PROFILE || 'default';
  const fromProfile = readProfileSettings(profile, env)?.region;
  if (fromProfile) return fromProfile;
  const message = `No AWS region: set settings.region or AWS_REGION (or a region in profile "${profile}")`;
  throw new InputError('MISSING_REGION', message, [
    { location: 'settings', path: 'settings.region', keyword: 'required', message },
  ]);
}
