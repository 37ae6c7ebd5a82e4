/**
 * Errors as Lambda's Node runtime describes them (its `Errors.js`): `describeError` is the object
 * posted as the invocation's error (`toRapidResponse`), `formatErrorForLog` the text it logs after
 * a label such as `Invoke Error` (`toFormatted`: a tab, then JSON with the enumerable properties).
 */
import { types } from 'node:util';

/** The invocation error: `errorType` is the error's name, or `typeof` for a non-error. */
export interface DescribedError {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

function looksLikeError(value: unknown): value is Error {
  const v = value as Partial<Error> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.name === 'string' &&
    typeof v.message === 'string' &&
    typeof v.stack === 'string'
  );
}

/**
 * Describe a thrown value as the runtime posts it.
 * @example
 * describeError(new TypeError('x')) // { errorType: 'TypeError', errorMessage: 'x', trace: [...] }
 */
export function describeError(error: unknown): DescribedError {
  try {
    if (types.isNativeError(error) || looksLikeError(error)) {
      return {
        errorType: String(error.name),
        errorMessage: String(error.message),
        trace: String(error.stack ?? '').split('\n'),
      };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      trace: [],
    };
  }
}

/**
 * The log text of an error: a tab, then JSON of its type, message, code, own properties and stack.
 * @example
 * `Invoke Error ${formatErrorForLog(error)}`
 */
export function formatErrorForLog(error: unknown): string {
  const value = error instanceof Error ? error : new Error(String(error));
  const replacer = (_key: string, v: unknown): unknown => {
    if (!(v instanceof Error)) return v;
    const out: Record<string, unknown> = {
      errorType: v.name,
      errorMessage: v.message,
      code: (v as { code?: unknown }).code,
      ...v,
    };
    if (typeof v.stack === 'string') out.stack = v.stack.split('\n');
    return out;
  };
  try {
    return `\t${JSON.stringify(value, replacer)}`;
  } catch {
    return `\t${JSON.stringify(describeError(value))}`;
  }
}

/** The runtime's error for an unhandled rejection (its message is the reason as a string). */
export class UnhandledPromiseRejection extends Error {
  readonly reason: unknown;

  constructor(reason: unknown) {
    super(String(reason));
    this.name = 'Runtime.UnhandledPromiseRejection';
    this.reason = reason;
  }
}
