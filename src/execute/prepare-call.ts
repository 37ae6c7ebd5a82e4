import type { CallPlan } from '../definition/call-plan.js';
import type { LoadedManifest } from '../definition/loaded-manifest.js';
import { TransportError } from '../errors.js';
import { redactingLogger, type TaskLogger } from '../logger.js';
import { buildRequest, type PlainRequest } from '../request/build-request.js';
import { isFileReference } from '../request/read-payload.js';
import { resolveEndpoint } from '../request/resolve-endpoint.js';
import { type RunSettings, runSettings } from '../request/run-settings.js';
import type { AwsCredentials } from '../signing/credentials.js';
import { resolveEndpointVariants } from '../signing/resolve-endpoint-variants.js';
import { resolveRegionWithOrigin } from '../signing/resolve-region.js';
import { withDefaults } from '../validation/validate-input.js';
import type { CredentialSources } from './credential-sources.js';
import type { ExecuteContext, ExecutionObserver } from './types.js';

/** Everything a call needs once its input has been checked; built before any I/O but reading a `file://` payload. */
export interface PreparedCall {
  plan: CallPlan;
  settings: RunSettings;
  request: PlainRequest;
  /** The statuses that are a success for what this call asks (its invocation type). */
  successStatus: ReadonlySet<number>;
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
 * Run `work` with a signal that aborts at the call's total deadline (or with the host's signal): a
 * `file://` payload is read before the transport's deadlines start, and a slow or endless file must
 * not outlive the call.
 */
async function withDeadline<T>(
  totalMs: number,
  host: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(
    () =>
      controller.abort(
        new TransportError('TOTAL_TIMEOUT', `The call took longer than ${totalMs} ms in total`),
      ),
    totalMs,
  );
  const onAbort = (): void => controller.abort(host?.reason);
  host?.addEventListener('abort', onAbort, { once: true });
  if (host?.aborted) onAbort();
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(timer);
    host?.removeEventListener('abort', onAbort);
  }
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
  const resolved = resolveRegionWithOrigin(plan, {
    settingsRegion: stringSetting(settings, names.region),
    profile,
    env,
  });
  const { region } = resolved;
  const variants = resolveEndpointVariants({
    fipsSetting: { value: settings[names.useFipsEndpoint], field: `settings.${names.useFipsEndpoint}` },
    dualStackSetting: {
      value: settings[names.useDualstackEndpoint],
      field: `settings.${names.useDualstackEndpoint}`,
    },
    profile: profile || env[plan.profileEnv] || 'default',
    env,
  });
  const endpoint = resolveEndpoint(plan.endpoint, {
    settingsEndpoint: stringSetting(settings, names.endpoint),
    useFips: variants.fips.enabled,
    useDualStack: variants.dualStack.enabled,
    fipsField: variants.fips.origin,
    dualStackField: variants.dualStack.origin,
    region,
    regionField: resolved.origin,
    regionFromSetting: resolved.fromSetting,
    env,
  });
  const settingsRun = runSettings(valid.settings, plan);
  const build = (signal: AbortSignal | undefined): Promise<PlainRequest> =>
    buildRequest(plan, valid, endpoint, context.cwd ?? process.cwd(), context.payloadRoot, signal);
  const payload = (valid.body as Record<string, unknown> | undefined)?.[plan.body.member];
  // Only reading a file needs the deadline's timer and signal; every other payload is built at once.
  const request = isFileReference(payload, plan.body.fileReferencePrefix)
    ? await withDeadline(settingsRun.timeouts.totalMs, context.signal, build)
    : await build(context.signal);
  const source = sources.for(
    context.credentials,
    settings[names.credentials],
    profile,
    `settings.${names.credentials}`,
  );
  return {
    plan,
    settings: settingsRun,
    request,
    successStatus: plan.response.successStatusFor(request.headers),
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
