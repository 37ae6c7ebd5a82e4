/**
 * Which definition a command runs: `--manifest FILE` (relative to the command's directory), else the
 * package's own. Every command that makes a call takes the flag.
 */
import { resolve } from 'node:path';
import { InputError, type LoadedManifest, loadManifest } from '../../index.js';

/**
 * The value of `--manifest FILE` or `--manifest=FILE` in `args`, read before the other flags are
 * parsed because the definition decides which other flags exist.
 * @example
 * manifestArg(['--manifest', 'invoke.manifest.json', '--payload', '{}']); // 'invoke.manifest.json'
 */
export function manifestArg(args: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (arg === '--') break;
    if (arg === '--manifest') found = args[i + 1];
    else if (arg.startsWith('--manifest=')) found = arg.slice('--manifest='.length);
  }
  return found;
}

/**
 * Load the definition a command was given (checked; a broken one throws a `DefinitionError`).
 * @example
 * const manifest = loadDefinition(values.manifest, io.cwd)
 */
export function loadDefinition(file: string | undefined, cwd: string): LoadedManifest {
  return loadManifest(file === undefined ? undefined : resolve(cwd, file));
}

/**
 * The error of a command that takes no definition when it is given `--manifest`: why, and what to run.
 * @example
 * throw refuseManifest('emulate', 'the emulator reads no task definition', "run 'lambda-stream run --manifest FILE'")
 */
export function refuseManifest(command: string, why: string, instead: string): InputError {
  const message = `--manifest is not an option of ${command}: ${why}; ${instead}`;
  return new InputError('INVALID_INPUT', message, [
    { location: 'input', path: '--manifest', keyword: 'unsupported', message },
  ]);
}
