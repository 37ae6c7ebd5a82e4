import { extendedEncodeURIComponent } from './extended-encode-uri-component.js';

/**
 * Encode query parameters in their given order (the signer sorts its own canonical copy).
 * Absent values are skipped; arrays repeat the key.
 * @example
 * buildQueryString({ Qualifier: '$LATEST' }) // 'Qualifier=%24LATEST'
 */
export function buildQueryString(params: Readonly<Record<string, unknown>> | undefined): string {
  if (params === undefined) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values)
      parts.push(`${extendedEncodeURIComponent(key)}=${extendedEncodeURIComponent(String(v))}`);
  }
  return parts.join('&');
}
