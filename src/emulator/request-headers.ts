/** Reading request headers the way the service does: a repeated header is its values joined by commas. */
import type { IncomingMessage } from 'node:http';

/** The header's value, or undefined when absent. */
export function headerString(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : value;
}
