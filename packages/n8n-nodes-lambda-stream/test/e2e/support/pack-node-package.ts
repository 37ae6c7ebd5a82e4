/**
 * The node package as a user gets it: `npm pack` (which builds it through `prepack`), then the
 * tarball unpacked into a folder n8n loads custom nodes from (N8N_CUSTOM_EXTENSIONS).
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Returns the unpacked package folder inside `into`. */
export async function packNodePackage(packageRoot: string, into: string): Promise<string> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', into], { cwd: packageRoot });
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ filename: string }>;
  if (packed === undefined) throw new Error(`npm pack printed no tarball:\n${stdout}`);
  const extensions = join(into, 'extensions');
  mkdirSync(extensions, { recursive: true });
  await run('tar', ['-xzf', join(into, packed.filename), '-C', extensions]);
  return join(extensions, 'package');
}
