import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/paths.js';

/**
 * The shared public vectors. They sit beside the repository (`../shared/vectors`), both in a
 * developer's tree and in CI's fresh clone, which gets a copy of shared/ next to it.
 */
export const vectorsRoot: string = join(packageRoot, '..', 'shared', 'vectors');

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
