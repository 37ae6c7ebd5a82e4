/**
 * Each engine is imported in one folder only: bullmq and ioredis in src/hosts/bullmq, @temporalio/* in
 * src/hosts/temporal. They are optional peers: a module elsewhere that imported them would make every
 * user of that module install them.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { packagePath } from '../../src/paths.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : name.endsWith('.ts') ? [path] : [];
  });
}

const ENGINES: Array<[string, RegExp, string]> = [
  [
    'bullmq and ioredis',
    /\bfrom\s+'(?:bullmq|ioredis)(?:\/[^']*)?'|import\(\s*'(?:bullmq|ioredis)'/,
    'src/hosts/bullmq/',
  ],
  ['@temporalio/*', /\bfrom\s+'@temporalio\/[^']*'|import\(\s*'@temporalio\//, 'src/hosts/temporal/'],
];

describe('engine imports', () => {
  it.each(ENGINES)('%s: imported only under its host folder (%#)', (_name, pattern, folder) => {
    const root = packagePath();
    const offenders = files(packagePath('src'))
      .map((file) => relative(root, file))
      .filter((file) => !file.startsWith(folder) && pattern.test(readFileSync(join(root, file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
