/**
 * The live Test request: status line, timings, the chunks as they arrive, the timeline, the output,
 * the log tail, the prelude, the error with its hint, and the request with its curl command. Every
 * value from the call is rendered as text (React escapes it): nothing from a function becomes HTML.
 */
import { useState } from 'react';
import { ChunkTimeline, formatBytes } from './chunk-timeline.js';
import type { RunState } from './run-state.js';
import type { Preview } from './types.js';
import './run-view.css';

function ms(value: number | undefined): string {
  return value === undefined ? '–' : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}

function previewText(p: Preview): string {
  return p.text !== undefined ? p.text : `hex ${p.hex ?? ''}`;
}

/** JSON pretty-printed, anything else as it is. */
function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** The status line: what is happening now, then the report's summary. */
export function statusText(run: RunState): string {
  if (run.failure) return `Could not start: ${run.failure}`;
  if (run.phase === 'idle') return 'Ready: fill in the form and press Test request.';
  if (run.phase === 'starting') return 'Sending…';
  if (run.phase === 'running') {
    const status = run.response ? `${run.response.statusCode}, ` : '';
    return `Running: ${status}${run.chunks.length + run.unlisted} chunk(s), ${formatBytes(run.bytes)} so far`;
  }
  return run.report?.summary ?? 'Done';
}

function Timings({ run }: { run: RunState }) {
  const response = run.report?.response;
  const total = run.complete?.totalMs ?? response?.totalMs;
  const rate = run.complete?.throughputBytesPerSecond ?? response?.throughputBytesPerSecond;
  const items: Array<[string, string]> = [
    ['Status', String(run.response?.statusCode ?? response?.statusCode ?? '–')],
    ['Time to first byte', ms(run.response?.elapsedMs ?? response?.timeToFirstByteMs)],
    ['Time to first chunk', ms(run.complete?.timeToFirstChunkMs ?? run.chunks[0]?.event.elapsedMs)],
    ['Total time', ms(total)],
    ['Throughput', rate === undefined ? '–' : `${formatBytes(rate)}/s`],
    ['Received', `${formatBytes(run.bytes)} in ${run.chunks.length + run.unlisted} chunk(s)`],
  ];
  return (
    <dl className="timings">
      {items.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Chunks({ run }: { run: RunState }) {
  return (
    <section className="chunks-section">
      <h3>Chunks</h3>
      <ol className="chunks" aria-label="Chunks">
        {run.chunks.map(({ event, receivedMs }) => (
          <li
            key={event.seq}
            data-seq={event.seq}
            data-elapsed-ms={event.elapsedMs}
            data-received-ms={receivedMs}
          >
            <span className="seq">#{event.seq}</span>
            <span className="at">{ms(event.elapsedMs)}</span>
            <span className="size">{formatBytes(event.size)}</span>
            <code className={event.preview.text === undefined ? 'hex' : 'text'}>
              {JSON.stringify(previewText(event.preview)).slice(1, -1)}
              {event.preview.truncated ? '…' : ''}
            </code>
          </li>
        ))}
      </ol>
      {run.unlisted > 0 ? <p className="note">… and {run.unlisted} more chunk(s), not listed</p> : null}
    </section>
  );
}

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState('');
  return (
    <>
      <button
        type="button"
        onClick={() =>
          navigator.clipboard.writeText(text).then(
            () => setCopied('Copied.'),
            (error: unknown) => setCopied(`Copy failed: ${String(error)}`),
          )
        }
      >
        Copy curl command
      </button>
      <span className="copied" aria-live="polite">
        {copied}
      </span>
    </>
  );
}

function RequestView({ run }: { run: RunState }) {
  const request = run.report?.request ?? run.request?.request;
  if (!request) return null;
  return (
    <section aria-label="Request">
      <h3>Request (secrets redacted)</h3>
      <pre className="request">
        {`${request.method} ${request.url}\n`}
        {Object.entries(request.headers)
          .map(([k, v]) => `${k}: ${v}`)
          .join('\n')}
        {`\n\n${previewText(request.body)}`}
      </pre>
      <h4>curl</h4>
      <pre className="curl">{request.curl.command}</pre>
      <CopyButton text={request.curl.command} />
      <p className="note">{request.curl.note}</p>
    </section>
  );
}

function Outcome({ run }: { run: RunState }) {
  const { report, prelude } = run;
  const error = report?.error ?? run.error?.error;
  return (
    <>
      {error ? (
        <section className="error" aria-label="Error">
          <h3>Error</h3>
          <p>
            <strong>{error.code}</strong>
            {error.functionErrorCode ? ` (${error.functionErrorCode})` : ''}: {error.message}
          </p>
          <p className="hint">Hint: {error.hint}</p>
        </section>
      ) : null}
      {prelude ? (
        <section aria-label="HTTP-integration prelude">
          <h3>HTTP-integration prelude</h3>
          <pre>
            {JSON.stringify(
              { statusCode: prelude.statusCode, headers: prelude.headers, cookies: prelude.cookies },
              null,
              2,
            )}
          </pre>
        </section>
      ) : null}
      {report?.output ? (
        <section aria-label="Output">
          <h3>Output ({report.output.payloadEncoding})</h3>
          <pre className="output">
            {report.output.payloadEncoding === 'json'
              ? pretty(previewText(report.output.preview))
              : previewText(report.output.preview)}
          </pre>
        </section>
      ) : null}
      {report?.log ? (
        <section aria-label="Log tail">
          <h3>Log tail</h3>
          <pre className="log">{report.log.text}</pre>
        </section>
      ) : null}
    </>
  );
}

/** The whole run panel. */
export function RunView({ run }: { run: RunState }) {
  return (
    <div className="run">
      <Timings run={run} />
      <ChunkTimeline run={run} />
      <Chunks run={run} />
      <Outcome run={run} />
      <RequestView run={run} />
    </div>
  );
}
