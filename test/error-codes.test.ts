import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ERROR_ACTORS, ERROR_CODES, type TaskErrorCode } from '../src/error-codes.js';
import { DefinitionError, FunctionError, TaskError } from '../src/errors.js';
import { packagePath, packageRoot } from '../src/paths.js';

const TABLE_FILE = packagePath('src', 'error-codes.ts');
const CODES = Object.keys(ERROR_CODES) as TaskErrorCode[];

/** Codes that appear in src/ but are not the task's own: each with the reason. */
const NOT_TASK_CODES: Record<string, string> = {
  ENOENT: 'a Node.js errno, compared with',
  ERR_WORKER_OUT_OF_MEMORY:
    'the Node.js error of a worker over its heap limit (an emulator instance), compared with',
  ERR_INVALID_CHAR:
    'the Node.js error the Lambda runtime throws for a bad header value, which the emulator mirrors',
  UNEXPECTED: 'what reports say for a failure that is not a TaskError (docs/errors.md notes it)',
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? tsFiles(path) : entry.endsWith('.ts') ? [path] : [];
    });
}

const SOURCES = tsFiles(packagePath('src'))
  .filter((file) => !file.split(/[/\\]/).includes('generated'))
  .map((file) => ({ file: relative(packageRoot, file), text: readFileSync(file, 'utf8') }));

const LITERAL = /'([A-Z][A-Z0-9_]*)'/g;

/**
 * Codes as the code uses them: the first argument of `new …Error(`, and every literal on a line
 * that compares, assigns or sets a `code` (`code === 'X'`, `code: 'X'`, `const code = c ? 'X' : 'Y'`).
 */
function codesUsed(text: string): { code: string; errorClass?: string }[] {
  const found: { code: string; errorClass?: string }[] = [];
  for (const m of text.matchAll(/new (\w+Error)\(\s*'([A-Z][A-Z0-9_]*)'/g))
    found.push({ code: m[2]!, errorClass: m[1]! });
  for (const m of text.matchAll(/\bcode\b\s*(?:===|!==|:|=)(?!>)[^;\n]*/g))
    for (const literal of m[0].matchAll(LITERAL)) found.push({ code: literal[1]! });
  return found;
}

describe('the table of error codes', () => {
  it('covers every code thrown, compared or reported anywhere in src/', () => {
    const missing: string[] = [];
    let seen = 0;
    for (const { file, text } of SOURCES) {
      if (file === relative(packageRoot, TABLE_FILE)) continue;
      for (const { code } of codesUsed(text)) {
        seen++;
        if (!(code in ERROR_CODES) && !(code in NOT_TASK_CODES)) missing.push(`${file}: ${code}`);
      }
    }
    expect(missing).toEqual([]);
    // The scan itself works: it sees the codes throw sites use.
    expect(seen).toBeGreaterThan(50);
  });

  it('has no row that nothing in src/ uses', () => {
    const others = SOURCES.filter(({ file }) => file !== relative(packageRoot, TABLE_FILE))
      .map(({ text }) => text)
      .join('\n');
    expect(CODES.filter((code) => !others.includes(`'${code}'`))).toEqual([]);
  });

  it('names the class that each throw site uses for the code', () => {
    const wrong: string[] = [];
    for (const { file, text } of SOURCES) {
      for (const { code, errorClass } of codesUsed(text)) {
        const row = (ERROR_CODES as Record<string, { errorClass: string } | undefined>)[code];
        if (errorClass !== undefined && errorClass !== 'TaskError' && row && row.errorClass !== errorClass)
          wrong.push(`${file}: new ${errorClass}('${code}') but the table says ${row.errorClass}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(new DefinitionError('broken').code).toBe('DEFINITION_INVALID');
    expect(ERROR_CODES.DEFINITION_INVALID.errorClass).toBe('DefinitionError');
    expect(new FunctionError('Unhandled', undefined, undefined).code).toBe('FUNCTION_ERROR');
    expect(ERROR_CODES.FUNCTION_ERROR.errorClass).toBe('FunctionError');
  });

  it('gives every error its default retryable, which a thrower can override', () => {
    for (const code of CODES) {
      expect([code, new TaskError(code, 'm').retryable]).toEqual([code, ERROR_CODES[code].retryable]);
      expect(new TaskError(code, 'm', { retryable: true }).retryable).toBe(true);
      expect(new TaskError(code, 'm', { retryable: false }).retryable).toBe(false);
    }
    // Exactly these are retryable by default; throw sites that differ pass `retryable` themselves.
    expect(CODES.filter((code) => ERROR_CODES[code].retryable)).toEqual([
      'THROTTLED',
      'CONNECTION_FAILED',
      'CONNECT_TIMEOUT',
      'STREAM_CHECKSUM',
      'STREAM_TRUNCATED',
      'STREAM_INCOMPLETE',
    ]);
    expect(new FunctionError('Unhandled', undefined, undefined).retryable).toBe(false);
    // A code from outside the table (an error event of a newer peer) is not retryable.
    expect(new TaskError('SOMETHING_NEW' as TaskErrorCode, 'm').retryable).toBe(false);
  });

  it('uses only the documented actors, and a one-line meaning for each code', () => {
    for (const code of CODES) {
      const { actor, meaning } = ERROR_CODES[code];
      expect(Object.keys(ERROR_ACTORS)).toContain(actor);
      expect(meaning).toMatch(/^\S.*\.$/);
      expect(meaning).not.toContain('\n');
    }
  });
});
