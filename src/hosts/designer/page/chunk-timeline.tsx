/**
 * The timeline: arrival time (x) against cumulative bytes (y), one dot per chunk, with marks for the
 * response headers, the first chunk and completion. Drawn as SVG from numbers only.
 */
import type { RunState } from './run-state.js';

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 56, right: 16, top: 16, bottom: 36 };

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** The chunk timeline of a run. */
export function ChunkTimeline({ run }: { run: RunState }) {
  const { chunks, response, complete } = run;
  const spanMs = Math.max(
    1,
    complete?.totalMs ?? 0,
    run.lastElapsedMs,
    ...chunks.map((c) => c.event.elapsedMs),
  );
  const maxBytes = Math.max(1, run.bytes, complete?.bytes ?? 0);
  const x = (ms: number) => PAD.left + (ms / spanMs) * (WIDTH - PAD.left - PAD.right);
  const y = (bytes: number) => HEIGHT - PAD.bottom - (bytes / maxBytes) * (HEIGHT - PAD.top - PAD.bottom);
  const points = chunks.map((c) => `${x(c.event.elapsedMs).toFixed(1)},${y(c.event.bytes).toFixed(1)}`);
  const first = chunks[0];
  const marks: Array<{ at: number; label: string; className: string }> = [];
  if (response) marks.push({ at: response.elapsedMs, label: 'headers', className: 'mark-headers' });
  if (first) marks.push({ at: first.event.elapsedMs, label: 'first chunk', className: 'mark-first' });
  if (complete) marks.push({ at: complete.totalMs, label: 'complete', className: 'mark-complete' });
  return (
    <svg
      className="timeline"
      role="img"
      aria-label="Chunk timeline"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      preserveAspectRatio="xMidYMid meet"
      data-points={chunks.length}
    >
      <title>Chunk timeline</title>
      <line
        className="axis"
        x1={PAD.left}
        y1={HEIGHT - PAD.bottom}
        x2={WIDTH - PAD.right}
        y2={HEIGHT - PAD.bottom}
      />
      <line className="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={HEIGHT - PAD.bottom} />
      <text className="tick" x={PAD.left} y={HEIGHT - 12}>
        0 ms
      </text>
      <text
        className="tick"
        x={WIDTH - PAD.right}
        y={HEIGHT - 12}
        textAnchor="end"
      >{`${Math.round(spanMs)} ms`}</text>
      <text className="tick" x={PAD.left - 6} y={PAD.top + 10} textAnchor="end">
        {formatBytes(maxBytes)}
      </text>
      <text className="tick" x={PAD.left - 6} y={HEIGHT - PAD.bottom} textAnchor="end">
        0
      </text>
      {marks.map((m, i) => {
        // Labels on rows of their own (headers and first chunk are often a few ms apart), and to
        // the left of marks near the right edge so they stay inside the picture.
        const right = x(m.at) > WIDTH * 0.75;
        return (
          <g key={m.label} className={m.className}>
            <line x1={x(m.at)} y1={PAD.top} x2={x(m.at)} y2={HEIGHT - PAD.bottom} />
            <text
              x={x(m.at) + (right ? -3 : 3)}
              y={PAD.top + 10 + i * 13}
              textAnchor={right ? 'end' : 'start'}
            >
              {m.label}
            </text>
          </g>
        );
      })}
      {points.length > 1 ? <polyline className="curve" points={points.join(' ')} /> : null}
      {chunks.map((c) => (
        <circle key={c.event.seq} className="dot" cx={x(c.event.elapsedMs)} cy={y(c.event.bytes)} r={3} />
      ))}
    </svg>
  );
}

export { formatBytes };
