import { InputError } from '../errors.js';

/** One partition of the endpoint rules (data from the manifest). */
export interface EndpointPartition {
  id: string;
  /** Regions of this partition, as a regular expression source. */
  regionRegex: string;
  dnsSuffix: string;
  dualStackDnsSuffix: string;
}

/** The endpoint rules of the operation's service (data from the manifest). */
export interface EndpointRules {
  /** e.g. `https://{service}{fips}.{region}.{dnsSuffix}` filled with `service`, `-fips` or '', region and suffix. */
  hostnameTemplate: string;
  /** The first label of the host name, e.g. `lambda`. */
  endpointPrefix: string;
  partitions: readonly EndpointPartition[];
  /** The partition used when no pattern matches the region (the ruleset's default). */
  defaultPartition: string;
}

export interface EndpointSources {
  settingsEndpoint?: string | undefined;
  useFips?: boolean | undefined;
  useDualStack?: boolean | undefined;
  region: string;
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
  } catch (cause) {
    throw invalid(source, `${source} is not a URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalid(source, `${source} must be an http:// or https:// URL, not ${url.protocol}`);
  }
  return url;
}

/** Which partition a region belongs to. */
export function findPartition(rules: EndpointRules, region: string): EndpointPartition {
  for (const partition of rules.partitions)
    if (new RegExp(partition.regionRegex).test(region)) return partition;
  const fallback = rules.partitions.find((p) => p.id === rules.defaultPartition);
  if (fallback === undefined) throw invalid('settings.region', `No partition serves region ${region}`);
  return fallback;
}

/**
 * The endpoint URL: `settings.endpoint`, then `AWS_ENDPOINT_URL_<SERVICE>`, then
 * `AWS_ENDPOINT_URL`, then the partition's template (FIPS and dual-stack when asked).
 * A custom endpoint with FIPS or dual-stack is refused with the endpoint ruleset's message.
 * @example
 * resolveEndpoint(rules, 'LAMBDA', { region: 'us-east-1', env: {} }).href // 'https://lambda.us-east-1.amazonaws.com/'
 */
export function resolveEndpoint(rules: EndpointRules, envServiceId: string, sources: EndpointSources): URL {
  const { env } = sources;
  const envName = `AWS_ENDPOINT_URL_${envServiceId}`;
  const custom: [string, string] | undefined = sources.settingsEndpoint
    ? [sources.settingsEndpoint, 'settings.endpoint']
    : env[envName]
      ? [env[envName]!, envName]
      : env.AWS_ENDPOINT_URL
        ? [env.AWS_ENDPOINT_URL, 'AWS_ENDPOINT_URL']
        : undefined;
  if (custom !== undefined) {
    if (sources.useFips) {
      throw invalid(
        'settings.useFipsEndpoint',
        'Invalid Configuration: FIPS and custom endpoint are not supported',
      );
    }
    if (sources.useDualStack) {
      throw invalid(
        'settings.useDualstackEndpoint',
        'Invalid Configuration: Dualstack and custom endpoint are not supported',
      );
    }
    return parseCustom(custom[0], custom[1]);
  }
  if (!/^[a-z0-9-]+$/.test(sources.region)) {
    throw invalid(
      'settings.region',
      `settings.region ${JSON.stringify(sources.region)} is not a region name`,
    );
  }
  const partition = findPartition(rules, sources.region);
  const url = rules.hostnameTemplate
    .replaceAll('{service}', rules.endpointPrefix)
    .replaceAll('{fips}', sources.useFips ? '-fips' : '')
    .replaceAll('{region}', sources.region)
    .replaceAll('{dnsSuffix}', sources.useDualStack ? partition.dualStackDnsSuffix : partition.dnsSuffix);
  return new URL(url);
}
