import type { ExecuteContext } from '../../index.js';
import type { CliIO } from './io.js';

/**
 * The execution context for a command: the command's environment, and credentials from
 * `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN` in that environment when set. The
 * standard chain reads `process.env`, so taking the keys from `io.env` here is what makes a command
 * honour the environment it was given (as the AWS CLI does, the keys win unless a profile is named).
 * @example
 * await invoke(input, cliContext(io, { profile: values.profile }))
 */
export function cliContext(io: CliIO, options: { profile?: string | undefined } = {}): ExecuteContext {
  const env = io.env;
  const context: ExecuteContext = { env, cwd: io.cwd };
  const named = options.profile ?? env.AWS_PROFILE;
  if (named === undefined && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    context.credentials = {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
  }
  return context;
}
