/**
 * The package's root folder, found from this module's own location: the emulator runs from
 * `src/emulator/` (tests), from a bundle chunk in `dist/` or from `dist/emulator/` (tsc's per-file
 * modules, which sandboxes load), so the depth differs and the nearest `package.json` decides.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

/** The package root. */
export const packageRoot: string = findRoot(dirname(fileURLToPath(import.meta.url)));

/** True when this module runs from TypeScript source (the tests), not from the build. */
export const runsFromSource: boolean = import.meta.url.endsWith('.ts');
