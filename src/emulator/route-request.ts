/**
 * Which operation a request asks for, read from the request line alone: the two invoke routes of
 * the Lambda API, the function label of the path, and the query.
 */
import type { IncomingMessage } from 'node:http';
import { type ParsedFunctionName, parseFunctionName } from './parse-function-name.js';

/** The operations the emulator serves. */
export type Operation = 'InvokeWithResponseStream' | 'Invoke';

const ROUTES: ReadonlyArray<{ operation: Operation; pattern: RegExp }> = [
  {
    operation: 'InvokeWithResponseStream',
    pattern: /^\/2021-11-15\/functions\/([^/?]+)\/response-streaming-invocations$/,
  },
  { operation: 'Invoke', pattern: /^\/2015-03-31\/functions\/([^/?]+)\/invocations$/ },
];

/** The request line, parsed. */
export interface RequestRoute {
  method: string;
  /** Path and query exactly as sent (what the signature covers). */
  rawUrl: string;
  rawPath: string;
  query: URLSearchParams;
  /** Undefined for anything but `POST` to one of the invoke routes. */
  operation: Operation | undefined;
  /** The `FunctionName` label, parsed; undefined when absent or not a valid name or ARN. */
  functionName: ParsedFunctionName | undefined;
}

/**
 * Parse the request line.
 * @example
 * routeRequest(req) // { operation: 'Invoke', functionName: { name: 'echo' }, … }
 */
export function routeRequest(req: IncomingMessage): RequestRoute {
  const rawUrl = req.url ?? '/';
  const queryAt = rawUrl.indexOf('?');
  const rawPath = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? '' : rawUrl.slice(queryAt + 1));
  for (const { operation, pattern } of ROUTES) {
    const match = req.method === 'POST' ? pattern.exec(rawPath) : null;
    if (!match?.[1]) continue;
    const label = safeDecode(match[1]);
    const functionName = label === undefined ? undefined : parseFunctionName(label);
    return { method: req.method ?? '', rawUrl, rawPath, query, operation, functionName };
  }
  return { method: req.method ?? '', rawUrl, rawPath, query, operation: undefined, functionName: undefined };
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
