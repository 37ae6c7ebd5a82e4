import { InputError } from '../errors.js';
import { extendedEncodeURIComponent } from './extended-encode-uri-component.js';

/**
 * Fill a path template's `{label}`s with encoded values. Each label is one path segment
 * (not greedy), so `/` inside a value is encoded too.
 * @example
 * expandPathTemplate('/2021-11-15/functions/{FunctionName}/x', { FunctionName: 'f:prod' }) // '/2021-11-15/functions/f%3Aprod/x'
 */
export function expandPathTemplate(template: string, values: Readonly<Record<string, unknown>>): string {
  let path = '';
  for (const part of partsOf(template)) {
    if (typeof part === 'string') {
      path += part;
      continue;
    }
    const { label, greedy } = part;
    const value = values[label];
    if (value === undefined || value === null || value === '') {
      throw new InputError('INVALID_INPUT', `path.${label} is required`, [
        {
          location: 'path',
          path: `path.${label}`,
          keyword: 'required',
          message: `path.${label} is required`,
        },
      ]);
    }
    const text = String(value);
    path += greedy
      ? text.split('/').map(extendedEncodeURIComponent).join('/')
      : extendedEncodeURIComponent(text);
  }
  return path;
}

type TemplatePart = string | { label: string; greedy: boolean };

/** Templates split once into literal text and labels (a definition has one; the map stays tiny). */
const parsed = new Map<string, readonly TemplatePart[]>();

function partsOf(template: string): readonly TemplatePart[] {
  let parts = parsed.get(template);
  if (parts === undefined) {
    const out: TemplatePart[] = [];
    let at = 0;
    for (const match of template.matchAll(/\{([^}+]+)(\+?)\}/g)) {
      if (match.index > at) out.push(template.slice(at, match.index));
      out.push({ label: match[1]!, greedy: match[2] === '+' });
      at = match.index + match[0].length;
    }
    if (at < template.length) out.push(template.slice(at));
    parts = out;
    if (parsed.size < 64) parsed.set(template, parts);
  }
  return parts;
}
