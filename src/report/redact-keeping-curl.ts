import { redact } from '../redact.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * `redact(value)` for a report or a live Test request event, keeping each request's curl command as
 * `curlCommand` built it: that command is redacted part by part where it is built, and redacting it
 * again would replace its `$AWS_SESSION_TOKEN` variable and leave a command that cannot run.
 * @example
 * return redactKeepingCurl(report)
 */
export function redactKeepingCurl<T>(value: T): T {
  const out = redact(value);
  const restore = (from: unknown, to: unknown): void => {
    if (!isRecord(from) || !isRecord(to)) return;
    if (isRecord(from.request) && isRecord(to.request) && from.request.curl !== undefined) {
      to.request.curl = from.request.curl;
    }
    restore(from.report, to.report);
  };
  restore(value, out);
  return out;
}
