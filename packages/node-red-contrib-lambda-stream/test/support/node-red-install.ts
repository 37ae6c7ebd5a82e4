/**
 * Where the tests find Node-RED: `.ci/node-red.sh` installs Node-RED 4 into `.cache/node-red-4` and
 * Node-RED 5 (Node >= 22.9) into `.cache/node-red-5`, once per CI run (locally: run it once).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** Node-RED 5 needs Node 22.9 or later; there the end-to-end tests run on it. */
export function wantsNodeRed5(version = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 9);
}

/** A `require` that resolves from the installed Node-RED `major` (node-red, @node-red/nodes, …). */
export function nodeRedRequire(major: 4 | 5): NodeJS.Require {
  const host = join(REPO, '.cache', `node-red-${major}`);
  if (!existsSync(join(host, 'node_modules', 'node-red', 'red.js'))) {
    throw new Error(`Node-RED ${major} is not installed in ${host}: run bash .ci/node-red.sh`);
  }
  return createRequire(join(host, 'package.json'));
}

/** The folder of the Node-RED package of `major`. */
export function nodeRedHome(major: 4 | 5): string {
  return dirname(nodeRedRequire(major).resolve('node-red/package.json'));
}
