/**
 * The environment of a function instance: the variables Lambda's Node runtime sets, then the
 * function's own `environment` from its config file. Nothing of the emulator's own environment is
 * passed on except `PATH`, so a function sees what it would see in Lambda (and no host secrets).
 */
import { randomBytes } from 'node:crypto';
import { basename, dirname, extname, relative } from 'node:path';
import type { FunctionEntry } from './function-registry.js';
import { logGroupName } from './lambda-context.js';

/** The facts an instance's environment is made of. */
export interface InstanceFacts {
  entry: FunctionEntry;
  functionsDir: string;
  version: string;
  region: string;
}

/**
 * A new log stream name, one per instance: `YYYY/MM/DD/[VERSION]` and 32 hex digits.
 * @example
 * newLogStreamName('$LATEST') // '2026/12/01/[$LATEST]4f…'
 */
export function newLogStreamName(version: string): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  return `${day}/[${version}]${randomBytes(16).toString('hex')}`;
}

/**
 * The environment of a new instance.
 * @example
 * instanceEnv({ entry, functionsDir, version: '$LATEST', region: 'us-east-1' }, streamName)
 */
export function instanceEnv(facts: InstanceFacts, logStreamName: string): Record<string, string> {
  const { entry } = facts;
  const file = relative(facts.functionsDir, entry.file);
  const module = join(dirname(file), basename(file, extname(file)));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    NODE_PATH: facts.functionsDir,
    LAMBDA_TASK_ROOT: facts.functionsDir,
    _HANDLER: `${module}.handler`,
    AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${process.versions.node.split('.')[0]}.x`,
    AWS_REGION: facts.region,
    AWS_DEFAULT_REGION: facts.region,
    AWS_LAMBDA_FUNCTION_NAME: entry.name,
    AWS_LAMBDA_FUNCTION_VERSION: facts.version,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(entry.config.memorySize),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(entry.name),
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
  };
  return { ...env, ...entry.config.environment };
}

function join(dir: string, name: string): string {
  return dir === '.' ? name : `${dir}/${name}`;
}
