/**
 * Where the designer's Test requests go. With no endpoint and no region configured, the emulator runs
 * in-process with the sample functions, so the designer works with no AWS account; otherwise the
 * environment decides (region, endpoint, and credentials from the AWS chain, as everywhere).
 * The variable names come from the definition, not from here.
 */
import { type EmulatorOptions, startEmulator } from '../../emulator/index.js';
import type { AwsCredentials, LoadedManifest } from '../../index.js';

/** The emulator's default signing key (the convention of local AWS emulators). */
const EMULATOR_CREDENTIALS: AwsCredentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const EMULATOR_REGION = 'us-east-1';

/** A backend: what to tell the page, and what each call's context gets. */
export interface Backend {
  kind: 'emulator' | 'environment';
  /** For the page: where calls go. */
  description: string;
  /** The emulator's URL, when the designer runs one. */
  url?: string;
  env: Record<string, string | undefined>;
  /** The credentials a call of `input` is made with (undefined: the AWS chain). */
  credentialsFor(input: unknown): AwsCredentials | undefined;
  close(): Promise<void>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The keys in the designer's environment, unless a profile is named (in the input's profile setting
 * or the profile variable): the standard chain reads `process.env`, so taking them from the
 * environment the designer was given is what makes it honour that environment, as the CLI does.
 */
function environmentCredentials(
  manifest: LoadedManifest,
  env: Record<string, string | undefined>,
  input: unknown,
): AwsCredentials | undefined {
  const { settingNames, profileEnv } = manifest.plan;
  const settings = isRecord(input) && isRecord(input.settings) ? input.settings : {};
  if (settings[settingNames.profile] !== undefined || env[profileEnv] !== undefined) return undefined;
  const {
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_SESSION_TOKEN: sessionToken,
  } = env;
  if (!accessKeyId || !secretAccessKey) return undefined;
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/**
 * Start the emulator, or use the environment when it configures an endpoint or a region.
 * @example
 * const backend = await chooseBackend(loadManifest(), process.env, {}); // kind 'emulator' on a bare machine
 */
export async function chooseBackend(
  manifest: LoadedManifest,
  env: Record<string, string | undefined>,
  emulatorOptions: EmulatorOptions,
): Promise<Backend> {
  const { endpointEnv, regionEnv } = manifest.plan;
  const endpoint = endpointEnv.map((name) => env[name]).find((v) => v !== undefined && v !== '');
  const region = regionEnv.map((name) => env[name]).find((v) => v !== undefined && v !== '');
  if (endpoint !== undefined || region !== undefined) {
    return {
      kind: 'environment',
      description: `${endpoint ?? `the AWS endpoint of ${region}`} (configured by the environment)`,
      env,
      credentialsFor: (input) => environmentCredentials(manifest, env, input),
      close: async () => {},
    };
  }
  const emulator = await startEmulator({ ...emulatorOptions, host: '127.0.0.1', port: 0 });
  const emulatorEnv: Record<string, string | undefined> = { ...env };
  const [endpointName] = endpointEnv;
  const [regionName] = regionEnv;
  if (endpointName !== undefined) emulatorEnv[endpointName] = emulator.url;
  if (regionName !== undefined) emulatorEnv[regionName] = EMULATOR_REGION;
  return {
    kind: 'emulator',
    description: `the local emulator at ${emulator.url} (functions: ${emulator.functions.join(', ')})`,
    url: emulator.url,
    env: emulatorEnv,
    credentialsFor: () => EMULATOR_CREDENTIALS,
    close: () => emulator.close(),
  };
}
