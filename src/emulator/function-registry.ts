/**
 * The functions of a folder: `NAME.js|.mjs|.cjs|.ts|.mts|.cts` or `NAME/index.*` is the function
 * NAME, optionally configured by `NAME.config.json`; symbolic links are never followed. The registry knows the files; instances (see
 * instance-pool.ts) import them.
 */
import { lstatSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compileTypeScript, isTypeScript } from './compile-typescript.js';
import {
  checkFunctionConfig,
  DEFAULT_MEMORY_MB,
  DEFAULT_TIMEOUT_SECONDS,
  type FunctionConfig,
} from './function-config.js';
import { importFailure } from './load-function-module.js';

/** The module an instance imports, or why it cannot load (a `Runtime.*` error). */
export type ModuleFile = { ok: true; file: string } | { ok: false; errorType: string; message: string };

/** One function of the folder. */
export interface FunctionEntry {
  name: string;
  /** The module file the handler comes from. */
  file: string;
  config: FunctionConfig;
}

/**
 * One symlink rule: links are never followed. A linked file or folder at the top level is not a
 * function (its dirent is a link, not a file or folder), and neither is a linked `NAME/index.*`.
 */
function isRegularFile(file: string): boolean {
  try {
    return lstatSync(file).isFile();
  } catch {
    return false;
  }
}

const EXTENSIONS = ['.mjs', '.js', '.cjs', '.ts', '.mts', '.cts'];
const NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export class FunctionRegistry {
  private readonly dir: string;
  private entries = new Map<string, FunctionEntry>();
  private readonly compiled = new Map<string, Promise<ModuleFile>>();
  private readonly warn: (message: string) => void;

  /** The functions folder (`LAMBDA_TASK_ROOT` of every instance). */
  get folder(): string {
    return this.dir;
  }

  constructor(dir: string, warn: (message: string) => void) {
    this.dir = dir;
    this.warn = warn;
  }

  /** Read the folder; with `strict`, a bad config file throws (at startup) instead of hiding the function. */
  async scan(strict: boolean): Promise<void> {
    const found = new Map<string, FunctionEntry>();
    const dirents = await readdir(this.dir, { withFileTypes: true });
    const files = new Set(dirents.filter((d) => d.isFile()).map((d) => d.name));
    const candidates: Array<{ name: string; file: string }> = [];
    for (const ext of EXTENSIONS) {
      for (const entry of files) {
        if (!entry.endsWith(ext) || entry.endsWith(`.d${ext}`)) continue;
        candidates.push({ name: entry.slice(0, -ext.length), file: join(this.dir, entry) });
      }
    }
    for (const d of dirents) {
      if (!d.isDirectory()) continue;
      const index = EXTENSIONS.map((ext) => join(this.dir, d.name, `index${ext}`)).find(isRegularFile);
      if (index) candidates.push({ name: d.name, file: index });
    }
    for (const { name, file } of candidates) {
      if (!NAME.test(name) || found.has(name)) continue;
      const configFile = `${name}.config.json`;
      let config: FunctionConfig = {
        timeout: DEFAULT_TIMEOUT_SECONDS,
        memorySize: DEFAULT_MEMORY_MB,
        versions: [],
        aliases: {},
        environment: {},
      };
      if (files.has(configFile)) {
        try {
          const text = await readFile(join(this.dir, configFile), 'utf8');
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch (error: unknown) {
            throw new Error(
              `${configFile}: not valid JSON (${error instanceof Error ? error.message : error})`,
            );
          }
          config = checkFunctionConfig(parsed, configFile);
        } catch (error: unknown) {
          if (strict) throw error;
          this.warn(`skipping function ${name}: ${error instanceof Error ? error.message : String(error)}`);
          continue;
        }
      }
      found.set(name, { name, file, config });
    }
    this.entries = found;
  }

  /** The names found by the last scan. */
  names(): string[] {
    return [...this.entries.keys()].sort();
  }

  /** The function called `name`; the folder is re-read once when it is not known yet. */
  async find(name: string): Promise<FunctionEntry | undefined> {
    const known = this.entries.get(name);
    if (known) return known;
    try {
      await this.scan(false);
    } catch (error: unknown) {
      this.warn(`cannot read ${this.dir}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return this.entries.get(name);
  }

  /** The function called `name` as of the last scan (no folder read: safe before authentication). */
  peek(name: string): FunctionEntry | undefined {
    return this.entries.get(name);
  }

  /** The version a qualifier selects (`$LATEST` when there is none), or undefined when unknown. */
  resolveQualifier(entry: FunctionEntry, qualifier: string | undefined): string | undefined {
    if (qualifier === undefined || qualifier === '$LATEST') return '$LATEST';
    if (entry.config.versions.includes(qualifier)) return qualifier;
    // Own keys only: a qualifier such as `constructor` or `__proto__` names no alias.
    return Object.hasOwn(entry.config.aliases, qualifier) ? entry.config.aliases[qualifier] : undefined;
  }

  /**
   * The module an instance of the function imports: the file itself, or for TypeScript its compiled
   * copy (compiled once per content: the cache key is the file's modification time and size).
   */
  moduleFile(entry: FunctionEntry): Promise<ModuleFile> {
    if (!isTypeScript(entry.file)) return Promise.resolve({ ok: true, file: entry.file });
    let stamp = '';
    try {
      const info = statSync(entry.file);
      stamp = `${entry.file}\0${info.mtimeMs}\0${info.size}`;
    } catch (error: unknown) {
      return Promise.resolve(importFailure(error) as ModuleFile);
    }
    let pending = this.compiled.get(stamp);
    if (!pending) {
      pending = compileTypeScript(entry.file).then(
        (file): ModuleFile => ({ ok: true, file }),
        (error: unknown) => {
          this.compiled.delete(stamp);
          return importFailure(error) as ModuleFile;
        },
      );
      this.compiled.set(stamp, pending);
    }
    return pending;
  }
}
