import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** One profile's keys from the shared config file (values as written, keys lower-cased). */
export type ProfileSettings = Record<string, string>;

/** Where the shared config file is: `AWS_CONFIG_FILE`, else `~/.aws/config`. */
export function sharedConfigPath(env: Readonly<Record<string, string | undefined>>): string {
  const configured = env.AWS_CONFIG_FILE;
  if (configured) return configured.startsWith('~/') ? join(homedir(), configured.slice(2)) : configured;
  return join(env.HOME || homedir(), '.aws', 'config');
}

/**
 * Read one profile's settings from the shared config file. `[default]` and `[profile NAME]`
 * sections are recognised, as the AWS CLI does; a missing file or profile gives `undefined`.
 * @example
 * readProfileSettings('default', process.env)?.region
 */
export function readProfileSettings(
  profile: string,
  env: Readonly<Record<string, string | undefined>>,
): ProfileSettings | undefined {
  let text: string;
  try {
    text = readFileSync(sharedConfigPath(env), 'utf8');
  } catch {
    return undefined;
  }
  const wanted = profile === 'default' ? ['default', 'profile default'] : [`profile ${profile}`];
  let inSection = false;
  let found: ProfileSettings | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/(^|\s)[#;].*$/, '').trim();
    if (line === '') continue;
    const section = /^\[\s*(.+?)\s*\]$/.exec(line);
    if (section) {
      const name = section[1]!.replace(/\s+/g, ' ');
      inSection = wanted.includes(name);
      if (inSection) found ??= {};
      continue;
    }
    // Indented lines belong to a nested sub-section (e.g. `s3 =`); region is never nested.
    if (!inSection || /^\s/.test(rawLine)) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    found![line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
  }
  return found;
}
