/**
 * `${...}` placeholders holding a small JSONPath subset: `$`, `.name`, `[0]`, `['key']`, `["key"]`.
 * A string that is exactly one placeholder takes the referenced value with its type; placeholders
 * inside longer strings are interpolated as text.
 */
import { WorkflowError } from './workflow-error.js';

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const WHOLE = /^\$\{([^}]*)\}$/;

/** One path step: a property name or an array index. */
export type PathSegment = string | number;

/**
 * Parse `$.a.b[0]['c d']` into segments; throws a `WORKFLOW_INVALID` error naming the expression.
 * @example
 * parseJsonPath("$.tasks['My step'].output") // ['tasks', 'My step', 'output']
 */
export function parseJsonPath(expression: string): PathSegment[] {
  const fail = (why: string): never => {
    throw new WorkflowError('WORKFLOW_INVALID', `Placeholder path '${expression}' ${why}`);
  };
  const text = expression.trim();
  if (!text.startsWith('$')) fail("must start with '$'");
  const segments: PathSegment[] = [];
  let i = 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '.') {
      const match = /^[A-Za-z_$][\w$-]*/.exec(text.slice(i + 1));
      if (!match) fail(`has no property name after '.' at position ${i}`);
      segments.push(match![0]);
      i += 1 + match![0].length;
    } else if (ch === '[') {
      const rest = text.slice(i);
      const index = /^\[(\d+)\]/.exec(rest);
      const quoted = /^\[\s*'((?:[^'\\]|\\.)*)'\s*\]|^\[\s*"((?:[^"\\]|\\.)*)"\s*\]/.exec(rest);
      if (index) {
        segments.push(Number(index[1]));
        i += index[0].length;
      } else if (quoted) {
        segments.push((quoted[1] ?? quoted[2] ?? '').replace(/\\(.)/g, '$1'));
        i += quoted[0].length;
      } else {
        fail(`has an unsupported bracket at position ${i} (use [0] or ['key'])`);
      }
    } else {
      fail(`has an unexpected '${ch}' at position ${i}`);
    }
  }
  return segments;
}

const MISSING: unique symbol = Symbol('missing');

/** The value at `segments` in `scope`, or MISSING. */
function lookup(scope: unknown, segments: readonly PathSegment[]): unknown {
  let value: unknown = scope;
  for (const segment of segments) {
    if (value === null || typeof value !== 'object') return MISSING;
    if (!Object.hasOwn(value, segment)) return MISSING;
    value = (value as Record<PathSegment, unknown>)[segment];
  }
  return value;
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value) ?? '';
}

/**
 * Replace every placeholder in `template` (deeply) with values from `scope`. `where` names the
 * template's place in the definition for error messages.
 * @example
 * resolvePlaceholders({ n: '${$.workflow.input.n}', s: 'n=${$.workflow.input.n}' }, { workflow: { input: { n: 2 } } }, 'x')
 * // { n: 2, s: 'n=2' }
 */
export function resolvePlaceholders(template: unknown, scope: unknown, where: string): unknown {
  if (typeof template === 'string') {
    const resolve = (expression: string): unknown => {
      const value = lookup(scope, parseJsonPath(expression));
      if (value === MISSING || value === undefined) {
        throw new WorkflowError(
          'WORKFLOW_INVALID',
          `${where}: placeholder \${${expression}} refers to nothing (check the task name and the field path)`,
        );
      }
      return value;
    };
    const whole = WHOLE.exec(template);
    if (whole) return resolve(whole[1] ?? '');
    return template.replace(PLACEHOLDER, (_m, expression: string) => asText(resolve(expression)));
  }
  if (Array.isArray(template))
    return template.map((item, i) => resolvePlaceholders(item, scope, `${where}[${i}]`));
  if (template !== null && typeof template === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(template)) {
      // Defined, not assigned, so a `__proto__` key from JSON stays an own key of the result.
      Object.defineProperty(out, key, {
        value: resolvePlaceholders(value, scope, `${where}.${key}`),
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
    return out;
  }
  return template;
}

/** Every placeholder expression in `template` (deeply), for the definition check. */
export function placeholderExpressions(template: unknown): string[] {
  if (typeof template === 'string') return [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
  if (Array.isArray(template)) return template.flatMap(placeholderExpressions);
  if (template !== null && typeof template === 'object')
    return Object.values(template).flatMap(placeholderExpressions);
  return [];
}
