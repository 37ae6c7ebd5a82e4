import type { CallPlan } from '../definition/call-plan.js';
import type { LoadedManifest } from '../definition/loaded-manifest.js';
import { redactingLogger, type TaskLogger } from '../logger.js';
import { buildRequest, type PlainRequest } from '../request/build-request.js';
import { resolveEndpoint } from '../request/resolve-endpoint.js';
import { type RunSettings, runSettings } from '../request/run-settings.js';
import type { AwsCredentials } from '../signing/credentials.js';
import { resolveRegion } from '../signing/resolve-region.js';
import { withDefaults } from '../validation/validate-input.js';
import type { CredentialSources } from './credential-sources.js';
import type { ExecuteContext, ExecutionObserver } from './types.js';

/** Everything a call needs once its input has been checked; built before any I/O but reading a `file://` payload. */
export interface PreparedCall {
  plan: CallPlan;
  settings: RunSettings;
  request: PlainRequest;
  region: string;
  credentials: () => Promise<AwsCredentials>;
  now: () => number;
  random: () => number;
  env: Readonly<Record<string, string | undefined>>;
  signal: AbortSignal | undefined;
  observer: ExecutionObserver | undefined;
  logger: TaskLogger;
  startedAt: number;
}

function stringSetting(settings: Record<string, unknown>, name: string): string | undefined {
  const value = settings[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Validate the input (defaults filled), then resolve the region, the endpoint, the run settings and
 * the credential source, and build the plain request: every setting is read by the name the
 * definition gives it. Input and configuration errors throw here, before anything is sent.
 * @example
 * const call = await prepareCall(manifest, input, context, sources)
 */
export async function prepareCall(
  manifest: LoadedManifest,
  input: unknown,
  context: ExecuteContext,
  sources: CredentialSources,
): Promise<PreparedCall> {
  const now = context.now ?? Date.now;
  const startedAt = now();
  const env = context.env ?? process.env;
  const { plan } = manifest;
  const names = plan.settingNames;
  const valid = withDefaults(input, manifest);
  const settings = valid.settings as Record<string, unknown>;
  const profile = stringSetting(settings, names.profile);
  const region = resolveRegion(plan, { settingsRegion: stringSetting(settings, names.region), profile, env });
  const endpoint = resolveEndpoint(plan.endpoint, {
    settingsEndpoint: stringSetting(settings, names.endpoint),
    useFips: settings[names.useFipsEndpoint] === true,
    useDualStack: settings[names.useDualstackEndpoint] === true,
    region,
    regionField: `settings.${names.region}`,
    env,
  });
  const request = await buildRequest(
    plan,
    valid,
    endpoint,
    context.cwd ?? process.cwd(),
    context.payloadRoot,
  );
  const source = sources.for(
    context.credentials,
    settings[names.credentials],
    profile,
    `settings.${names.credentials}`,
  );
  return {
    plan,
    settings: runSettings(valid.settings, plan),
    request,
    region,
    credentials: () => source(now()),
    now,
    random: context.random ?? Math.random,
    env,
    signal: context.signal,
    observer: context.observer,
    logger: redactingLogger(context.logger),
    startedAt,
  };
}
