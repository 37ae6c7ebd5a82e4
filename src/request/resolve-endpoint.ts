import { InputError } from '../errors.js';
import type { EndpointDefinition, PartitionEndpoint } from '../generated/manifest.js';

export interface EndpointSources {
  /** The value of the definition's endpoint setting (`settings.endpoint`). */
  settingsEndpoint?: string | undefined;
  useFips?: boolean | undefined;
  useDualStack?: boolean | undefined;
  region: string;
  /** Where the region came from, for messages (`settings.region`). */
  regionField?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
}

function invalid(path: string, message: string): InputError {
  return new InputError('INVALID_ENDPOINT', message, [
    { location: 'settings', path, keyword: 'endpoint', message },
  ]);
}

function parseCustom(value: string, source: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(source, `${source} is not a URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(source, `${source} must be an http:// or https:// URL, not ${url.protocol}`);
  }
  return url;
}

/** The partition serving a region (the definition's default partition when no pattern matches). */
export function findPartition(definition: EndpointDefinition, region: string): PartitionEndpoint {
  for (const partition of definition.partitions)
    if (new RegExp(partition.regionPattern).test(region)) return partition;
  const fallback = definition.partitions.find((p) => p.id === definition.defaultPartition);
  if (fallback === undefined) throw invalid('region', `No partition serves region ${region}`);
  return fallback;
}

/**
 * The endpoint URL: the endpoint setting, then the definition's environment variables in order
 * (`AWS_ENDPOINT_URL_LAMBDA`, `AWS_ENDPOINT_URL`), then the partition's template (FIPS and
 * dual-stack when asked). A custom endpoint with FIPS or dual-stack is refused with the endpoint
 * ruleset's message.
 * @example
 * resolveEndpoint(manifest.operation.endpoint, { region: 'us-east-1', env: {} }).href // 'https://lambda.us-east-1.amazonaws.com/'
 */
export function resolveEndpoint(definition: EndpointDefinition, sources: EndpointSources): URL {
  const { env } = sources;
  let custom: [string, string] | undefined;
  if (sources.settingsEndpoint)
    custom = [sources.settingsEndpoint, `settings.${definition.override.setting}`];
  else {
    const name = definition.override.env.find((n) => env[n]);
    if (name !== undefined) custom = [env[name]!, name];
  }
  if (custom !== undefined) {
    if (sources.useFips) {
      throw invalid(
        `settings.${definition.fipsSetting}`,
        'Invalid Configuration: FIPS and custom endpoint are not supported',
      );
    }
    if (sources.useDualStack) {
      throw invalid(
        `settings.${definition.dualstackSetting}`,
        'Invalid Configuration: Dualstack and custom endpoint are not supported',
      );
    }
    return parseCustom(custom[0], custom[1]);
  }
  // The region becomes part of a host name: anything but a DNS label would change the host.
  if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(sources.region)) {
    const field = sources.regionField ?? 'region';
    throw invalid(field, `${field} ${JSON.stringify(sources.region)} is not a valid region name`);
  }
  const { templates } = findPartition(definition, sources.region);
  const template = sources.useFips
    ? sources.useDualStack
      ? templates.fipsDualstack
      : templates.fips
    : sources.useDualStack
      ? templates.dualstack
      : templates.default;
  return new URL(template.replaceAll('{region}', sources.region));
}
