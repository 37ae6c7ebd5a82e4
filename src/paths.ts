import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root. This file sits one folder below it both as `src/paths.ts`
 * (tests) and as `dist/paths.js` (the built package), so one rule serves both.
 */
export const packageRoot: string = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Where a file that ships with the package lives (the sample functions, examples, the definition).
 * @example
 * packagePath('examples', 'quickstart.workflow.json')
 */
export function packagePath(...parts: string[]): string {
  return join(packageRoot, ...parts);
}
