/**
 * The layout is a contract: the core is a one-way pipeline (definition → validation → request →
 * signing → transport → event stream → output → execute → report), each stage importing only earlier
 * ones; the hosts and the emulator import only the public entries; no import cycles; files stay small.
 * What broke before: imports ran both ways between folders (manifest ↔ validation, request ↔
 * transport) and through two circles, and one 695-line file held the whole executor.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { packagePath } from '../../src/paths.js';

const SRC = packagePath('src');

/** Every TypeScript file under src/, as a path relative to src/. */
function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [relative(SRC, full)] : [];
  });
}

const FILES = sourceFiles();
const GENERATED = (file: string): boolean => file.startsWith('generated/') || file.includes('/generated/');

/** The relative imports of a file (static, type-only and dynamic), resolved to paths relative to src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const specs = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+'(\.{1,2}\/[^']+)'/g),
    ...text.matchAll(/import\(\s*'(\.{1,2}\/[^']+)'\s*\)/g),
  ].map((m) => m[1]!);
  return specs.map((spec) => normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts'));
}

/** The pipeline's stages in order; a core file may import its own stage and earlier ones. */
const STAGES = [
  'foundation',
  'definition',
  'validation',
  'request',
  'signing',
  'transport',
  'eventstream',
  'output',
  'execute',
  'report',
  'entry',
] as const;
type Stage = (typeof STAGES)[number] | 'emulator' | 'hosts' | 'sigv4-verifier';

/** The public entries (the package's entry and subpaths) a host or the emulator may import. */
const PUBLIC_ENTRIES = [
  'index.ts',
  'emulator/index.ts',
  'hosts/workflow/index.ts',
  'hosts/bullmq/index.ts',
  'hosts/temporal/index.ts',
  'hosts/designer/index.ts',
];

function stageOf(file: string): Stage {
  const top = file.split('/')[0]!;
  if (
    [
      'errors.ts',
      'error-codes.ts',
      'escape-controls.ts',
      'redact.ts',
      'logger.ts',
      'paths.ts',
      'generated',
    ].includes(top)
  )
    return 'foundation';
  if (['index.ts', 'test-request-entry.ts'].includes(top)) return 'entry';
  if (top === 'execute.ts') return 'execute';
  if ((STAGES as readonly string[]).includes(top) || ['emulator', 'hosts', 'sigv4-verifier'].includes(top))
    return top as Stage;
  throw new Error(`src/${file} is in no stage of the layout: add its folder to this test`);
}

/** Where a file outside the core may reach: its own folder, the public entries, and what each may add. */
function allowedBeside(from: string, to: string): boolean {
  const stage = stageOf(from);
  const own = stageOf(to) === stage && (stage !== 'hosts' || to.split('/')[1] === from.split('/')[1]);
  if (own || PUBLIC_ENTRIES.includes(to)) return true;
  // The emulator writes the event-stream protocol and verifies SigV4: it shares those encoders and the verifier.
  if (stage === 'emulator')
    return (
      stageOf(to) === 'sigv4-verifier' || /^eventstream\/(encode-message|crc32|message-types)\.ts$/.test(to)
    );
  return false;
}

function violations(): string[] {
  const out: string[] = [];
  for (const from of FILES) {
    for (const to of importsOf(from)) {
      const a = stageOf(from);
      const b = stageOf(to);
      const besides = ['emulator', 'hosts', 'sigv4-verifier'];
      if (besides.includes(a)) {
        if (!allowedBeside(from, to)) out.push(`${from} → ${to} (${a} imports only the public entries)`);
      } else if (besides.includes(b)) {
        out.push(`${from} → ${to} (the core never imports ${b})`);
      } else if (
        STAGES.indexOf(b as (typeof STAGES)[number]) > STAGES.indexOf(a as (typeof STAGES)[number])
      ) {
        out.push(`${from} → ${to} (${a} imports the later stage ${b})`);
      }
    }
  }
  return out;
}

/** Every import cycle between files, as the path that closes it. */
function cycles(): string[] {
  const graph = new Map(FILES.map((f) => [f, importsOf(f).filter((t) => FILES.includes(t))]));
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of FILES) if (!state.has(file)) visit(file);
  return found;
}

describe('the layout', () => {
  it('imports run one way: each stage imports only earlier ones; hosts and the emulator only public entries', () => {
    expect(violations()).toEqual([]);
  });

  it('has no import cycles', () => {
    expect(cycles()).toEqual([]);
  });

  it('keeps every file of src/ outside generated code to 300 lines or fewer', () => {
    const long = FILES.filter((f) => !GENERATED(f))
      .map((f) => ({ f, lines: readFileSync(join(SRC, f), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 300)
      .map(({ f, lines }) => `${f}: ${lines} lines`);
    expect(long).toEqual([]);
  });

  it('would catch a backward import (the check itself can fail)', () => {
    expect(stageOf('transport/send-request.ts')).toBe('transport');
    expect(STAGES.indexOf('execute')).toBeGreaterThan(STAGES.indexOf('transport'));
    expect(allowedBeside('hosts/cli/main.ts', 'execute/create-executor.ts')).toBe(false);
    expect(allowedBeside('hosts/cli/main.ts', 'index.ts')).toBe(true);
  });
});
