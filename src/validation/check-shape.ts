import type { ValidationIssue } from '../errors.js';

/**
 * The deepest nesting accepted anywhere in a task input, the payload included. Every later stage
 * (the schema validator, the copy, JSON serialisation, redaction) recurses, so an input 100,000
 * levels deep ended in "Maximum call stack size exceeded"; this is far below the stack's limit and far
 * above any real payload.
 */
export const MAX_INPUT_DEPTH = 1000;

interface Frame {
  value: object;
  /** The frame this value is a property of, and its key there (the path is spelled only for an issue). */
  parent: Frame | undefined;
  key: string;
  inArray: boolean;
  depth: number;
}

function pathOf(frame: Frame): string {
  const frames: Frame[] = [];
  for (let f: Frame | undefined = frame; f?.parent !== undefined; f = f.parent) frames.push(f);
  let path = '';
  for (let i = frames.length - 1; i >= 0; i--) {
    const { key, inArray } = frames[i]!;
    path = inArray ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
  }
  return path;
}

function issue(path: string, keyword: string, rule: string): ValidationIssue {
  const where = path === '' ? 'the task input' : path;
  const location = path === '' ? 'input' : (/^[^.[]+/.exec(path)?.[0] ?? 'input');
  return { location, path, keyword, message: `${where} ${rule}` };
}

/** Own enumerable entries of an object, or why they could not be read (a throwing getter or proxy trap). */
function entriesOf(value: object): Array<[string, unknown]> {
  const keys = Object.keys(value);
  return keys.map((key) => [key, (value as Record<string, unknown>)[key]]);
}

/**
 * The first structural problem of an input, before anything recurses into it: nesting deeper than
 * {@link MAX_INPUT_DEPTH}, a cycle, or a property that cannot be read (a getter or proxy that
 * throws). Walked with an explicit stack, so the check itself cannot overflow. Byte arrays are leaves.
 * @example
 * checkShape({ settings: { a: { b: 1 } } }) // undefined
 */
export function checkShape(input: unknown): ValidationIssue | undefined {
  if (input === null || typeof input !== 'object') return undefined;
  /** Objects on the path from the root to the frame being visited: meeting one again is a cycle. */
  const ancestors = new Set<object>();
  const stack: Array<Frame | { leave: object }> = [
    { value: input, parent: undefined, key: '', inArray: false, depth: 0 },
  ];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if ('leave' in frame) {
      ancestors.delete(frame.leave);
      continue;
    }
    const { value, depth } = frame;
    if (ancestors.has(value))
      return issue(pathOf(frame), 'cycle', 'refers back to itself (a cycle cannot be sent)');
    if (depth >= MAX_INPUT_DEPTH) {
      return issue(pathOf(frame), 'maxDepth', `nests deeper than ${MAX_INPUT_DEPTH} levels`);
    }
    let entries: Array<[string, unknown]>;
    try {
      entries = entriesOf(value);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      return issue(pathOf(frame), 'unreadable', `cannot be read (a property threw: ${why.slice(0, 200)})`);
    }
    ancestors.add(value);
    stack.push({ leave: value });
    const isArray = Array.isArray(value);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      if (child !== null && typeof child === 'object' && !ArrayBuffer.isView(child)) {
        stack.push({ value: child, parent: frame, key, inArray: isArray, depth: depth + 1 });
      }
    }
  }
  return undefined;
}
