/**
 * The command line of the AWS CLI's `invoke`, split into what the AWS CLI itself handles (payload
 * encoding, the outfile, timeouts in seconds, output format, debug) and the rest, which are the
 * definition's own flags (`--function-name`, `--qualifier`, `--log-type`, `--region`, …) and go to
 * `parseTaskArgs` unchanged. Global AWS CLI options that mean nothing here are accepted; those whose
 * meaning cannot be kept are refused, naming the option.
 */
import { InputError } from '../../index.js';

/** How `--payload` text is read: AWS CLI v2's default is base64. */
export type BinaryFormat = 'base64' | 'raw-in-base64-out';

/** What the AWS CLI side of the command line says. */
export interface AwsCliArgs {
  /** The arguments for the definition's flags (`parseTaskArgs`). */
  taskArgs: string[];
  /** `--payload` as written (`fileb://…`, `file://…` or text). */
  payload: string | undefined;
  binaryFormat: BinaryFormat;
  /** `--cli-read-timeout` / `--cli-connect-timeout` in seconds (0: no limit). */
  readTimeoutSeconds: number | undefined;
  connectTimeoutSeconds: number | undefined;
  debug: boolean;
  output: 'json' | 'text';
  /** The positional outfile (`-`: standard output). */
  outfile: string | undefined;
  help: boolean;
}

/** Global AWS CLI switches that change nothing here (no pager, no pagination, no colours). */
const IGNORED_SWITCHES = new Set(['--no-cli-pager', '--no-paginate', '--no-cli-auto-prompt']);
const IGNORED_VALUES = new Set(['--color']);
/** Options whose meaning this command cannot keep, and why. */
const REFUSED: Readonly<Record<string, string>> = {
  '--query': 'JMESPath queries are not supported; pipe the JSON document to jq instead',
  '--no-verify-ssl': 'certificate checks cannot be turned off',
  '--ca-bundle': 'set NODE_EXTRA_CA_CERTS to trust another certificate authority',
  '--no-sign-request': 'every request is signed',
  '--cli-auto-prompt': 'there is no interactive prompt',
  '--generate-cli-skeleton': 'use --input FILE with a task input instead',
  '--cli-input-json': 'use --input FILE with a task input instead',
  '--cli-input-yaml': 'use --input FILE with a task input instead',
};
/** Flags of the definition side that take no value. */
const TASK_SWITCHES = new Set(['--help', '-h', '--json']);

/** A command line the AWS CLI would refuse as well (exit status 252). */
export function usageError(option: string, message: string): InputError {
  return new InputError('INVALID_INPUT', message, [
    { location: 'input', path: option, keyword: 'argv', message },
  ]);
}

function seconds(option: string, raw: string | undefined): number {
  const n = Number(raw);
  if (raw === undefined || raw.trim() === '' || !Number.isInteger(n) || n < 0) {
    throw usageError(option, `${option} must be a whole number of seconds (0: no limit), got '${raw ?? ''}'`);
  }
  return n;
}

/**
 * Split an AWS CLI `invoke` command line (the words after `invoke`).
 * @example
 * splitAwsCliArgs(['--function-name', 'echo', '--payload', 'e30=', 'out.json']).outfile // 'out.json'
 */
export function splitAwsCliArgs(argv: readonly string[]): AwsCliArgs {
  const out: AwsCliArgs = {
    taskArgs: [],
    payload: undefined,
    binaryFormat: 'base64',
    readTimeoutSeconds: undefined,
    connectTimeoutSeconds: undefined,
    debug: false,
    output: 'json',
    outfile: undefined,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    const option = eq > 0 ? word.slice(0, eq) : word;
    const inline = eq > 0 ? word.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined) throw usageError(option, `${option} expects a value`);
      i++;
      return next;
    };
    if (!option.startsWith('-') || option === '-') {
      if (out.outfile !== undefined) throw usageError(option, `Unknown options: ${option}`);
      out.outfile = option;
    } else if (option in REFUSED) throw usageError(option, `${option} is not supported: ${REFUSED[option]}`);
    else if (IGNORED_SWITCHES.has(option)) continue;
    else if (IGNORED_VALUES.has(option)) value();
    else if (option === '--debug') out.debug = true;
    else if (option === '--payload') out.payload = value();
    else if (option === '--cli-read-timeout') out.readTimeoutSeconds = seconds(option, value());
    else if (option === '--cli-connect-timeout') out.connectTimeoutSeconds = seconds(option, value());
    else if (option === '--cli-binary-format') {
      const format = value();
      if (format !== 'base64' && format !== 'raw-in-base64-out') {
        throw usageError(option, `${option} must be base64 or raw-in-base64-out, got '${format}'`);
      }
      out.binaryFormat = format;
    } else if (option === '--output') {
      const format = value();
      if (format !== 'json' && format !== 'text') {
        throw usageError(option, `--output ${format} is not supported: use json or text`);
      }
      out.output = format;
    } else if (option === '--help' || option === '-h') out.help = true;
    else if (TASK_SWITCHES.has(option)) out.taskArgs.push(word);
    else out.taskArgs.push(option, value());
  }
  return out;
}
