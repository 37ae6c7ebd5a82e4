import { InputError } from '../errors.js';
import type { EndpointDefinition, PartitionEndpoint } from '../generated/manifest.js';
import { parseEndpoint } from '../validation/parse-endpoint.js';

export interface EndpointSources {
  /** The value of the definition's endpoint setting (`settings.endpoint`). */
  settingsEndpoint?: string | undefined;
  useFips?: boolean | undefined;
  useDualStack?: boolean | undefined;
  /** Where `useFips` / `useDualStack` came from, for messages (default: the settings the definition names). */
  fipsField?: string | undefined;
  dualStackField?: string | undefined;
  region: string;
  /** Where the region came from, for messages (`settings.region`, `AWS_REGION`). */
  regionField?: string | undefined;
  /**
   * The region came from the definition's region setting: it must be one a partition serves. (A region
   * from the environment or a profile that no partition matches goes to the default partition, as in
   * the AWS SDKs, so a new region works before the definition knows it.)
   */
  regionFromSetting?: boolean | undefined;
  env: Readonly<Record<string, string | undefined>>;
}

function invalid(path: string, message: string): InputError {
  return new InputError('INVALID_ENDPOINT', message, [
    { location: 'settings', path, keyword: 'endpoint', message },
  ]);
}

function matchingPartition(definition: EndpointDefinition, region: string): PartitionEndpoint | undefined {
  return definition.partitions.find((partition) => new RegExp(partition.regionPattern).test(region));
}

/** The partition serving a region (the definition's default partition when no pattern matches). */
export function findPartition(definition: EndpointDefinition, region: string): PartitionEndpoint {
  const matched = matchingPartition(definition, region);
  if (matched !== undefined) return matched;
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
        sources.fipsField ?? `settings.${definition.fipsSetting}`,
        'Invalid Configuration: FIPS and custom endpoint are not supported',
      );
    }
    if (sources.useDualStack) {
      throw invalid(
        sources.dualStackField ?? `settings.${definition.dualstackSetting}`,
        'Invalid Configuration: Dualstack and custom endpoint are not supported',
      );
    }
    return parseEndpoint(custom[0], custom[1]);
  }
  // The region becomes part of a host name: anything but a DNS label would change the host.
  if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(sources.region)) {
    const field = sources.regionField ?? 'region';
    throw invalid(field, `${field} ${JSON.stringify(sources.region)} is not a valid region name`);
  }
  if (sources.regionFromSetting && matchingPartition(definition, sources.region) === undefined) {
    const field = sources.regionField ?? 'region';
    const rules = definition.partitions.map((p) => `${p.id} ${p.regionPattern}`).join(', ');
    const message = `${field} ${JSON.stringify(sources.region)} is not a region of the definition's partitions: it must match one of ${rules}`;
    throw new InputError('INVALID_INPUT', message, [
      { location: 'settings', path: field, keyword: 'partition', message },
    ]);
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
