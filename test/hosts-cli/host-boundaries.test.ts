/**
 * The hosts stand beside the core: they import only its public entries, and the CLI names nothing of
 * the API it calls (its flags, help and settings come from the definition it loads).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { packagePath } from '../../src/index.js';

/** What each host folder may import outside itself. */
const ALLOWED: Record<string, readonly string[]> = {
  cli: [
    '../../index.js',
    '../../emulator/index.js',
    '../workflow/index.js',
    '../bullmq/index.js',
    '../designer/index.js',
  ],
  workflow: ['../../index.js'],
  bullmq: ['../../index.js'],
  temporal: ['../../index.js'],
  designer: ['../../index.js', '../../emulator/index.js'],
};

function sources(folder: string): Array<{ file: string; text: string }> {
  const dir = packagePath('src', 'hosts', folder);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => ({ file: `src/hosts/${folder}/${name}`, text: readFileSync(join(dir, name), 'utf8') }));
}

describe('hosts', () => {
  it.each(Object.keys(ALLOWED))('src/hosts/%s imports only the public entries', (folder) => {
    const outside: string[] = [];
    for (const { file, text } of sources(folder)) {
      for (const match of text.matchAll(/\bfrom\s+'(\.[^']*)'|\bimport\(\s*'(\.[^']*)'\s*\)/g)) {
        const target = match[1] ?? match[2] ?? '';
        if (target.startsWith('./')) continue;
        if (!ALLOWED[folder]?.includes(target)) outside.push(`${file} imports ${target}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('the CLI names nothing of the API: no parameter, header, event type or service name', () => {
    const names =
      /FunctionName|X-Amz-|PayloadChunk|InvokeComplete|InvokeWithResponseStream|lambda(?!-stream)/gi;
    const found: string[] = [];
    for (const { file, text } of sources('cli')) {
      for (const match of text.matchAll(names)) found.push(`${file}: ${match[0]}`);
    }
    expect(found).toEqual([]);
  });

  it('no host casts a task input to get it past the types (the entry points take unknown)', () => {
    const casts = Object.keys(ALLOWED)
      .flatMap(sources)
      .filter(({ text }) => /as never\b|as TaskInput\b/.test(text));
    expect(casts.map((s) => s.file)).toEqual([]);
  });
});
