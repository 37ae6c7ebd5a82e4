import type { ExecuteContext } from '../../index.js';
import type { DefinitionFlags } from './definition-flags.js';
import type { CliIO } from './io.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The execution context for a command: the command's environment, and credentials from
 * `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN` in that environment when set. The
 * standard chain reads `process.env`, so taking the keys from `io.env` here is what makes a command
 * honour the environment it was given (as the AWS CLI does, the keys win unless a profile is named,
 * in the input's profile setting or the profile variable, both as the definition names them).
 * @example
 * await executor.invoke(input, cliContext(io, flags, input))
 */
export function cliContext(io: CliIO, flags: DefinitionFlags, input: unknown = {}): ExecuteContext {
  const env = io.env;
  const context: ExecuteContext = { env, cwd: io.cwd };
  const settings = isRecord(input) && isRecord(input.settings) ? input.settings : {};
  const named = settings[flags.names.profile] ?? env[flags.env.profile];
  if (named === undefined && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    context.credentials = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
  }
  return context;
}
