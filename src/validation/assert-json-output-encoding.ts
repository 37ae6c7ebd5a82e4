import { InputError } from '../errors.js';

/** The one encoding whose data is not JSON: a `Uint8Array` (chunk `data`, an aggregated `payload`). */
const NOT_JSON = 'bytes';

/** `input.settings.outputEncoding` when it can be read; anything else is for validation to refuse. */
function outputEncodingOf(input: unknown): unknown {
  try {
    if (input === null || typeof input !== 'object') return undefined;
    const { settings } = input as { settings?: unknown };
    if (settings === null || typeof settings !== 'object') return undefined;
    return (settings as { outputEncoding?: unknown }).outputEncoding;
  } catch {
    // A getter that throws: the executor's validation reports the input as it is.
    return undefined;
  }
}

/**
 * For a host whose output is JSON (a CLI's stdout, a job's return value, an n8n item): refuse
 * `settings.outputEncoding: 'bytes'` before anything is sent, since its `Uint8Array` data would not
 * survive `JSON.stringify`. Throws an `InputError` (`INVALID_INPUT`) whose issue names the setting;
 * returns quietly for any other value, valid or not (the task's own validation judges those).
 * @example
 * assertJsonOutputEncoding(input, 'the Temporal activity'); // before executor.execute(input, context)
 */
export function assertJsonOutputEncoding(input: unknown, host: string): void {
  if (outputEncodingOf(input) !== NOT_JSON) return;
  const message = `settings.outputEncoding: '${NOT_JSON}' gives Uint8Array data, which ${host} cannot carry (its output is JSON); use utf8 or base64`;
  throw new InputError('INVALID_INPUT', message, [
    { location: 'settings', path: 'settings.outputEncoding', keyword: 'jsonOutput', message },
  ]);
}
