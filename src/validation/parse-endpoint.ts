import { InputError } from '../errors.js';

/**
 * `value` fit to appear in a message: anything before the last `@` of the authority (a user name
 * and password) is replaced, found by text so that a value no parser accepts is masked too.
 * @example
 * showEndpoint('http://user:secretpass@127.0.0.1:99999') // 'http://…@127.0.0.1:99999'
 */
export function showEndpoint(value: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(value)?.[0] ?? '';
  const rest = value.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  const shown = at === -1 ? value : `${scheme}…${rest.slice(at)}`;
  return shown.length > 200 ? `${shown.slice(0, 200)}…` : shown;
}

/**
 * Why `value` cannot be the endpoint, or `undefined` when the call can use it. The URL parser here
 * is the one the call uses (WHATWG `URL`), so validation and the call agree: a port over 65535 is
 * refused by both. A user name or password is refused (the call is signed with SigV4 and would drop
 * it silently) and never repeated.
 * @example
 * endpointProblem('ftp://host') // 'must be an http:// or https:// URL, not ftp:'
 */
export function endpointProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `is not a URL: ${showEndpoint(value)}`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `must be an http:// or https:// URL, not ${url.protocol}`;
  }
  if (url.username !== '' || url.password !== '') {
    return 'must not contain a user name or password (the call is signed; they would not be sent)';
  }
  return undefined;
}

/**
 * The endpoint URL, or an `INVALID_ENDPOINT` error naming `field` (a setting or an environment
 * variable) by the rules of {@link endpointProblem}.
 * @example
 * parseEndpoint('http://127.0.0.1:9001', 'settings.endpoint').port // '9001'
 */
export function parseEndpoint(value: string, field: string): URL {
  const problem = endpointProblem(value);
  if (problem !== undefined) {
    const message = `${field} ${problem}`;
    throw new InputError('INVALID_ENDPOINT', message, [
      { location: 'settings', path: field, keyword: 'endpoint', message },
    ]);
  }
  return new URL(value);
}
