import { existsSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { packagePath } from '../src/paths.js';

describe('packagePath', () => {
  it('resolves files at the package root from source', () => {
    expect(existsSync(packagePath('package.json'))).toBe(true);
  });
});
