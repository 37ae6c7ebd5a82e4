import { InputError } from '../errors.js';
import { extendedEncodeURIComponent } from './extended-encode-uri-component.js';

/**
 * Fill a path template's `{label}`s with encoded values. Each label is one path segment
 * (not greedy), so `/` inside a value is encoded too.
 * @example
 * expandPathTemplate('/2021-11-15/functions/{FunctionName}/x', { FunctionName: 'f:prod' }) // '/2021-11-15/functions/f%3Aprod/x'
 */
export function expandPathTemplate(template: string, values: Readonly<Record<string, unknown>>): string {
  return template.replace(/\{([^}+]+)(\+?)\}/g, (_m, label: string, greedy: string) => {
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
    return greedy
      ? text.split('/').map(extendedEncodeURIComponent).join('/')
      : extendedEncodeURIComponent(text);
  });
}
