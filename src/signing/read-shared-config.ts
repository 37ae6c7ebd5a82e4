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

/** The last text read of each config file, with the file's identity when it was read and checked. */
const cache = new Map<
  string,
  { mtimeMs: number; size: number; ino: number; text: string | undefined; checkedAt: number }
>();

/** How long a file's text is used before the file is looked at again. */
export const CONFIG_RECHECK_MS = 500;

/**
 * The file's text, looked at again at most every CONFIG_RECHECK_MS and read again only when it
 * changed: every call consults the profile for region and endpoint variants, and even a `stat` per
 * call showed in profiles (the AWS SDKs read the file once per client). `undefined` when there is no
 * such file or it cannot be read.
 */
function configText(path: string): string | undefined {
  const now = Date.now();
  const known = cache.get(path);
  if (known !== undefined && now - known.checkedAt < CONFIG_RECHECK_MS && now >= known.checkedAt)
    return known.text;
  const stats = statSync(path, { throwIfNoEntry: false });
  if (stats === undefined) {
    cache.set(path, { mtimeMs: 0, size: -1, ino: -1, text: undefined, checkedAt: now });
    return undefined;
  }
  if (known?.mtimeMs === stats.mtimeMs && known.size === stats.size && known.ino === stats.ino) {
    known.checkedAt = now;
    return known.text;
  }
  let text: string | undefined;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    text = undefined;
  }
  cache.set(path, { mtimeMs: stats.mtimeMs, size: stats.size, ino: stats.ino, text, checkedAt: now });
  return text;
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
  // Parsed once per text and profile: a call asks for the region and both endpoint variants.
  if (parsed.text !== text) parsed = { text, byProfile: new Map() };
  if (!parsed.byProfile.has(profile)) parsed.byProfile.set(profile, parseProfile(text, profile));
  return parsed.byProfile.get(profile);
}

/** The profiles parsed from the last config text (frozen: callers share them). */
let parsed: { text: string; byProfile: Map<string, Readonly<ProfileSettings> | undefined> } = {
  text: '',
  byProfile: new Map(),
};

function parseProfile(text: string, profile: string): Readonly<ProfileSettings> | undefined {
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
  return found === undefined ? undefined : Object.freeze(found);
}
