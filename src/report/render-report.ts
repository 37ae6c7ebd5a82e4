/**
 * A Test request report as readable text for a terminal: sections, and a timeline of chunk arrivals.
 * The report is already redacted; this only lays it out.
 */
import type { Preview, TestReport } from './test-report.js';

const BAR_WIDTH = 32;

/**
 * A byte count for people.
 * @example
 * formatBytes(1536); // '1.5 KiB'
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

function oneLine(text: string, max: number): string {
  // Escapes keep control characters visible on one line; quotes need no escaping for people.
  const flat = JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function previewText(p: Preview, max = 2000): string {
  const body = p.text !== undefined ? p.text : `hex ${p.hex ?? ''}`;
  const cut = body.length > max ? `${body.slice(0, max)}…` : body;
  return `${cut}${p.truncated ? `\n… (${formatBytes(p.bytes)} in all)` : ''}`;
}

function indent(text: string, by = '  '): string {
  return text
    .split('\n')
    .map((line) => `${by}${line}`)
    .join('\n');
}

/**
 * Render a report for people.
 * @example
 * io.stdout.write(renderReport(await testRequest(input)))
 */
export function renderReport(report: TestReport): string {
  const out: string[] = [`Test request: ${report.summary}`, ''];
  if (report.issues && report.issues.length > 0) {
    out.push('Invalid input (nothing was sent)');
    for (const issue of report.issues) out.push(`  - ${issue.message}  [${issue.keyword}]`);
    out.push('');
  }
  const { request, response, output, log, error } = report;
  if (request) {
    out.push('Request');
    out.push(
      `  ${request.method} ${request.url}${request.attempts > 1 ? `  (${request.attempts} attempts)` : ''}`,
    );
    for (const [name, value] of Object.entries(request.headers)) out.push(`  ${name}: ${value}`);
    out.push(`  body (${formatBytes(request.body.bytes)}): ${oneLine(previewText(request.body, 200), 200)}`);
    out.push(
      '',
      '  Equivalent curl command:',
      indent(request.curl.command, '    '),
      `  ${request.curl.reliable ? 'note' : 'WARNING'}: ${request.curl.note}`,
      '',
    );
  }
  if (response) {
    const rate =
      response.throughputBytesPerSecond === undefined
        ? ''
        : ` · ${formatBytes(response.throughputBytesPerSecond)}/s`;
    const ttfb =
      response.timeToFirstByteMs === undefined ? '' : `first byte ${formatMs(response.timeToFirstByteMs)} · `;
    out.push('Response');
    out.push(
      `  status ${response.statusCode ?? '-'} · ${ttfb}total ${formatMs(response.totalMs)} · ${formatBytes(response.bytes)} in ${response.chunks} chunk(s)${rate}`,
    );
    for (const [name, value] of Object.entries(response.headers)) out.push(`  ${name}: ${value}`);
    out.push('');
    if (response.events.length > 0) {
      out.push('Timeline (ms since the request started)');
      const span = Math.max(response.totalMs, ...response.events.map((e) => e.elapsedMs), 1);
      for (const event of response.events) {
        const at = Math.min(BAR_WIDTH - 1, Math.floor((event.elapsedMs / span) * BAR_WIDTH));
        const bar = `${' '.repeat(at)}●${' '.repeat(BAR_WIDTH - at - 1)}`;
        const what =
          event.preview.text !== undefined
            ? oneLine(event.preview.text, 40)
            : `hex ${(event.preview.hex ?? '').slice(0, 24)}`;
        out.push(
          `  #${String(event.seq).padEnd(3)} ${formatMs(event.elapsedMs).padStart(9)} |${bar}| ${event.eventType.padEnd(14)} ${formatBytes(event.size).padStart(9)}  ${what}`,
        );
      }
      if (response.eventsOmitted > 0) out.push(`  … ${response.eventsOmitted} more event(s) not listed`);
      out.push('');
    }
  }
  if (output) {
    out.push(`Output (${output.payloadEncoding}, ${formatBytes(output.preview.bytes)})`);
    if (output.payloadEncoding !== 'none') out.push(indent(previewText(output.preview)));
    out.push('');
  }
  if (log) {
    out.push(`Log tail${log.truncated ? ' (end only)' : ''}`, indent(log.text.replace(/\n$/, '')), '');
  }
  if (error) {
    out.push(
      'Error',
      `  ${error.code}${error.functionErrorCode ? ` (${error.functionErrorCode})` : ''}: ${error.message}`,
    );
    out.push(`  hint: ${error.hint}`, '');
  }
  if (report.retries.length > 0) {
    out.push('Retries');
    for (const retry of report.retries)
      out.push(
        `  attempt ${retry.attempt} failed with ${retry.code}; retried after ${formatMs(retry.delayMs)}`,
      );
    out.push('');
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
