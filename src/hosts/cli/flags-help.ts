/**
 * The help of `run` and `test`, written from the definition's flags: each flag with its values, where
 * it goes, and the schema's description; a usage line and an example built from the schema examples.
 */
import type { DefinitionFlags, ParameterFlag, SettingFlag } from './definition-flags.js';

const WIDTH = 100;
const INDENT = '      ';

/** Words of `text` in lines of at most {@link WIDTH} characters, each indented. */
function wrap(text: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && INDENT.length + line.length + 1 + word.length > WIDTH) {
      lines.push(INDENT + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(INDENT + line);
  return lines.map((l) => `${l}\n`).join('');
}

function entry(head: string, where: string, description: string): string {
  return `  ${head.padEnd(44)} ${where}\n${wrap(description)}`;
}

const WHERE: Record<ParameterFlag['location'], string> = {
  path: 'path parameter',
  headers: 'header',
  query: 'query parameter',
  body: 'body field',
};

function parameterEntry(p: ParameterFlag): string {
  const where = p.body ? `the body (${p.name})` : `${WHERE[p.location]} ${p.name}`;
  return entry(`--${p.flag} ${p.values}`, p.required ? `required; ${where}` : where, p.description);
}

function settingEntry(s: SettingFlag): string {
  return entry(`--${s.flag} ${s.values}`, `setting ${s.path.join('.')}`, s.description);
}

/**
 * The option list for `--help`.
 * @example
 * io.stdout.write(taskOptionsHelp(definitionFlags(loadManifest())))
 */
export function taskOptionsHelp(flags: DefinitionFlags): string {
  return [
    'Parameters:\n',
    ...flags.parameters.map(parameterEntry),
    '\nSettings:\n',
    ...flags.settings.map(settingEntry),
    '\nOther options:\n',
    '  --input FILE      a whole task input (JSON); the flags above override it\n',
    '  --manifest FILE   the task definition to use (default: the package manifest.json)\n',
    '  --json            machine-readable output and errors (JSON)\n',
    '  -h, --help        this help (for the definition given with --manifest)\n',
  ].join('');
}

/** `lambda-stream run --function-name TEXT [options]`: the required flags. */
export function usageLine(command: string, flags: DefinitionFlags): string {
  const required = flags.parameters.filter((p) => p.required).map((p) => ` --${p.flag} ${p.values}`);
  return `Usage: lambda-stream ${command}${required.join('')} [options]`;
}

/** Single quotes for a shell, unless the value needs none. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * An example command from the schema examples of the required parameters and the body, plus `extra`.
 * @example
 * exampleLine('run', flags, '--output chunked')
 */
export function exampleLine(command: string, flags: DefinitionFlags, extra: string): string {
  const words = flags.parameters
    .filter((p) => (p.required || p.body) && p.example !== undefined)
    .map((p) => `--${p.flag} ${shellWord(p.example ?? '')}`);
  return `  lambda-stream ${command} ${[...words, extra].join(' ')}`;
}
