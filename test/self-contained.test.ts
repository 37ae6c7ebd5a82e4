import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { packageRoot } from '../src/paths.js';
import { vectorsRoot } from './support/vectors.js';

// A fresh clone with nothing beside it must pass `npm test`: no code reads a sibling folder of the
// repository. Matches a parent-folder `shared` path written as a string or as `join` arguments.
const OUTSIDE = /\.\.[/\\]shared\b|['"]\.\.['"],\s*['"]shared['"]/;
const SOURCE = /\.(?:ts|mts|cts|js|mjs|cjs)$/;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (SOURCE.test(entry)) out.push(path);
  }
  return out;
}

describe('the repository is self-contained', () => {
  it('keeps the public vectors inside it, with their licence files', () => {
    expect(relative(packageRoot, vectorsRoot)).toBe(join('test', 'vectors'));
    for (const file of ['README.md', 'sigv4/LICENSE', 'sigv4/NOTICE', 'eventstream/LICENSE']) {
      expect(existsSync(join(vectorsRoot, file))).toBe(true);
    }
  });

  it('has no code that reads a folder beside the repository', () => {
    const offenders = ['src', 'test', 'scripts', 'bench']
      .flatMap((dir) => sourceFiles(join(packageRoot, dir)))
      .filter((file) => OUTSIDE.test(readFileSync(file, 'utf8')))
      .map((file) => relative(packageRoot, file));
    expect(offenders).toEqual([]);
  });
});
