import { readFileSync, statSync } from 'node:fs';
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

/** The last text read of each config file, with the file's identity when it was read. */
const cache = new Map<string, { mtimeMs: number; size: number; ino: number; text: string }>();

/**
 * The file's text, read again only when it changed (a `stat` instead of a read and a parse on
 * every call: every call consults the profile for region and endpoint variants). `undefined` when
 * there is no such file or it cannot be read.
 */
function configText(path: string): string | undefined {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats === undefined) {
    cache.delete(path);
    return undefined;
  }
  const known = cache.get(path);
  if (known?.mtimeMs === stats.mtimeMs && known.size === stats.size && known.ino === stats.ino)
    return known.text;
  try {
    const text = readFileSync(path, 'utf8');
    cache.set(path, { mtimeMs: stats.mtimeMs, size: stats.size, ino: stats.ino, text });
    return text;
  } catch {
    cache.delete(path);
    return undefined;
  }
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
  const text = configText(sharedConfigPath(env));
  if (text === undefined) return undefined;
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
