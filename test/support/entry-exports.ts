import { readFileSync } from 'node:fs';

/** The names an entry file exports, split by kind, as its source declares them. */
export interface EntryExports {
  /** Names that exist at run time (functions, classes, constants). */
  values: string[];
  /** Names that exist only for the type checker (`export type { … }`, interfaces, type aliases). */
  types: string[];
}

const LOCAL =
  /\bexport\s+(?:declare\s+)?(abstract\s+class|class|enum|const|let|var|async\s+function|function|interface|type)\s+([A-Za-z_$][\w$]*)/g;
const LIST = /\bexport\s+(type\s+)?\{([^}]*)\}/g;

/**
 * Read the exports of a TypeScript entry file from its text, so type-only exports (which leave no trace at
 * run time) can be snapshotted too. Entries use named exports only: `export *` throws, as it hides the names.
 * @example
 * entryExports('src/index.ts').types // ['AggregatedResult', …]
 */
export function entryExports(file: string): EntryExports {
  const text = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:])\/\/.*$/gm, '$1');
  if (/\bexport\s+(?:type\s+)?\*/.test(text)) throw new Error(`${file}: use named exports, not export *`);
  const values = new Set<string>();
  const types = new Set<string>();
  for (const [, kind = '', name = ''] of text.matchAll(LOCAL)) {
    if (kind === 'interface' || kind === 'type') types.add(name);
    else values.add(name);
  }
  for (const [, typeOnly, list = ''] of text.matchAll(LIST)) {
    for (const item of list.split(',')) {
      const words = item.trim().split(/\s+/).filter(Boolean);
      if (words.length === 0) continue;
      const inlineType = words[0] === 'type' && words.length > 1 && words[1] !== 'as';
      const spec = inlineType ? words.slice(1) : words;
      const name = spec[spec.length - 1]!;
      if (typeOnly !== undefined || inlineType) types.add(name);
      else values.add(name);
    }
  }
  // A class exported as a value is a type too; listing it once, among the values, keeps the two lists apart.
  for (const name of values) types.delete(name);
  return { values: [...values].sort(), types: [...types].sort() };
}
