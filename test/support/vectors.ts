import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';

/**
 * The public SigV4 and event-stream vectors, copied byte for byte into `test/vectors/` with their
 * licence files (its README names the source repositories and commits), so a clone needs nothing beside it.
 */
export const vectorsRoot: string = join(packageRoot, 'test', 'vectors');

/** Where the figures for `npm run reliability` go (git-ignored). */
export const reliabilityDir: string = join(packageRoot, '.reliability');

/** Writes JSON atomically (write then rename), so a reader never sees half a file. */
export function writeJsonAtomic(path: string, value: unknown): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(tmp, path);
}

/** Passed/total of one vector suite. */
export interface VectorTally {
  passed: number;
  total: number;
  failed: string[];
}

/**
 * Records one suite's tally in `.reliability/vectors/<suite>.json` and refreshes the merged
 * `.reliability/vectors.json` from every suite file present (suites run in separate jest workers).
 */
export function recordVectorTally(suite: string, tally: VectorTally): void {
  const dir = join(reliabilityDir, 'vectors');
  writeJsonAtomic(join(dir, `${suite}.json`), { suite, ...tally, at: new Date().toISOString() });
  const merged: Record<string, unknown> = {};
  for (const name of ['eventstream', 'sigv4']) {
    const file = join(dir, `${name}.json`);
    if (existsSync(file)) merged[name] = JSON.parse(readFileSync(file, 'utf8'));
  }
  writeJsonAtomic(join(reliabilityDir, 'vectors.json'), merged);
}

/** Every SigV4 suite folder holding a `<name>.req` (cases nest under normalize-path/ and post-sts-token/). */
export function findSigV4Cases(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (!statSync(path).isDirectory()) continue;
    if (readdirSync(path).includes(`${entry}.req`)) out.push(path);
    else out.push(...findSigV4Cases(path));
  }
  return out;
}
