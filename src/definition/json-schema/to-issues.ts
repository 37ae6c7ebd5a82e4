import type { ErrorObject } from 'ajv';
import type { ValidationIssue } from '../../errors.js';

/** `/headers/X-Amz-Log-Type` → `['headers', 'X-Amz-Log-Type']` (JSON Pointer unescaped). */
function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** Dotted path as people write it: `operation.endpoint.partitions[2].id`. */
export function formatPath(segments: readonly string[]): string {
  let out = '';
  for (const segment of segments) {
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

const FORMAT_WORDS: Record<string, string> = { uri: 'an absolute URL', 'date-time': 'an ISO 8601 date-time' };

const UNKNOWN_FIELD_WORDS: Record<string, string> = {
  headers: 'is not a header this operation accepts',
  query: 'is not a query parameter this operation accepts',
  path: 'is not a path parameter of this operation',
};

function list(values: unknown): string {
  return Array.isArray(values) ? values.map((v) => String(v)).join(', ') : String(values);
}

/** The rule, in plain words, without the field name. Never echoes the input value (it may be secret). */
function ruleWords(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  switch (error.keyword) {
    case 'enum':
      return `must be one of ${list(p.allowedValues)}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'type':
      return `must be ${list(
        String(p.type)
          .split(',')
          .map((t) => TYPE_WORDS[t] ?? t),
      ).replace(/, ([^,]*)$/, ' or $1')}`;
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be at least ${p.limit} characters long`;
    case 'maxLength':
      return `must be at most ${p.limit} characters long`;
    case 'pattern':
      return typeof parent['x-patternDescription'] === 'string'
        ? `must be ${parent['x-patternDescription']}`
        : `must match the pattern ${p.pattern}`;
    case 'minimum':
      return `must be at least ${p.limit}`;
    case 'maximum':
      return `must be at most ${p.limit}`;
    case 'exclusiveMinimum':
      return `must be more than ${p.limit}`;
    case 'exclusiveMaximum':
      return `must be less than ${p.limit}`;
    case 'format':
      return `must be ${FORMAT_WORDS[String(p.format)] ?? `a valid ${p.format}`}`;
    case 'minItems':
      return `must have at least ${p.limit} item${p.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `must have at most ${p.limit} items`;
    case 'uniqueItems':
      return `must not repeat items (items ${p.j} and ${p.i} are the same)`;
    case 'discriminator':
      return p.error === 'mapping'
        ? `has an unknown ${p.tag}; see the schema for the allowed values`
        : `must have a string ${p.tag}`;
    default:
      return error.message ?? `fails the rule ${error.keyword}`;
  }
}

/**
 * Turns ajv errors into issues that name the field by its path and the rule in plain words, e.g.
 * `headers.X-Amz-Log-Type must be one of Tail, None`. `location` is the first path segment, or
 * `fixedLocation` when given (the manifest's issues all sit in `manifest`).
 */
export function toIssues(
  errors: readonly ErrorObject[] | null | undefined,
  options: { rootName?: string; fixedLocation?: string } = {},
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    const segments = pointerSegments(error.instancePath);
    const p = error.params as Record<string, unknown>;
    let keyword = error.keyword;
    let words: string;
    // Rules about a missing or unknown member are reported on the member itself.
    if (keyword === 'required') {
      segments.push(String(p.missingProperty));
      words = 'is required';
    } else if (keyword === 'additionalProperties') {
      segments.push(String(p.additionalProperty));
      words = UNKNOWN_FIELD_WORDS[segments[0] ?? ''] ?? 'is not a known field';
    } else if (keyword === 'oneOf' || keyword === 'anyOf') {
      // The branch errors that precede it already say what is wrong.
      continue;
    } else {
      words = ruleWords(error);
    }
    if (keyword === 'x-computed') keyword = 'computed';
    const path = formatPath(segments);
    const subject = path === '' ? (options.rootName ?? 'the input') : path;
    const issue: ValidationIssue = {
      location: options.fixedLocation ?? segments[0] ?? 'input',
      path,
      keyword,
      message: `${subject} ${words}`,
    };
    const key = `${issue.path}\u0000${issue.keyword}\u0000${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}
