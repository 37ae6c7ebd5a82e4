import type { IncomingHttpHeaders } from 'node:http';
import type { ResponseHeadersDefinition } from '../generated/manifest.js';
import type { TaskLogger } from '../logger.js';

/** What the response headers tell, as soon as they arrive. */
export interface ResponseSummary {
  statusCode: number;
  executedVersion?: string;
  requestId?: string;
  contentType?: string;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Status, executed version, request id and content type, by the header names in the definition.
 * @example
 * summarizeResponse(200, res.headers, manifest.response.headers).executedVersion // '$LATEST'
 */
export function summarizeResponse(
  statusCode: number,
  headers: IncomingHttpHeaders,
  names: ResponseHeadersDefinition,
): ResponseSummary {
  const summary: ResponseSummary = { statusCode };
  const version = names.executedVersion === undefined ? undefined : header(headers, names.executedVersion);
  if (version !== undefined) summary.executedVersion = version;
  for (const name of names.requestId) {
    const id = header(headers, name);
    if (id) {
      summary.requestId = id;
      break;
    }
  }
  const contentType = header(headers, names.contentType);
  if (contentType !== undefined) summary.contentType = contentType;
  return summary;
}

/** The media type without parameters, lower-cased (`Text/Plain; charset=x` → `text/plain`). */
export function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase();
}

/** The tail log as text (it arrives base64-encoded). */
export function decodeLogResult(logResult: string | undefined): string | undefined {
  if (logResult === undefined || logResult === '') return undefined;
  return Buffer.from(logResult, 'base64').toString('utf8');
}

/** Write the function's tail log to the host's logger, one line per entry. */
export function logTail(logger: TaskLogger, text: string | undefined, requestId: string | undefined): void {
  if (text === undefined) return;
  for (const line of text.split(/\r?\n/)) {
    if (line !== '') logger.info(line, { source: 'function-log', ...(requestId ? { requestId } : {}) });
  }
}
