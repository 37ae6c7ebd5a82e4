/**
 * What the page knows of the current Test request, folded from its live events.
 */
import type { LiveTestEvent, TestReport } from './types.js';

type Of<T extends LiveTestEvent['type']> = Extract<LiveTestEvent, { type: T }>;

/** A chunk as listed: its event, and when the page received it (ms since the page started the run). */
export interface ChunkItem {
  event: Of<'chunk'>;
  receivedMs: number;
}

/** The chunks kept for the list and the timeline; later ones are counted, not kept. */
export const MAX_LISTED_CHUNKS = 1000;

export interface RunState {
  /** Counts the runs of this page (1 for the first), so an observer never mistakes the last run's end for this one's. */
  number: number;
  phase: 'idle' | 'starting' | 'running' | 'done';
  startedAt: number;
  request?: Of<'request'>;
  response?: Of<'response'>;
  prelude?: Of<'prelude'>;
  chunks: ChunkItem[];
  /** Chunks received beyond {@link MAX_LISTED_CHUNKS}. */
  unlisted: number;
  bytes: number;
  lastElapsedMs: number;
  complete?: Of<'complete'>;
  error?: Of<'error'>;
  report?: TestReport;
  /** When the page received the report (ms since it started the run). */
  doneMs?: number;
  /** The page could not start the run (the server refused it). */
  failure?: string;
}

export const IDLE: RunState = {
  number: 0,
  phase: 'idle',
  startedAt: 0,
  chunks: [],
  unlisted: 0,
  bytes: 0,
  lastElapsedMs: 0,
};

/** A run that has just been asked for. */
export function starting(previous: RunState, now: number): RunState {
  return { ...IDLE, number: previous.number + 1, phase: 'starting', startedAt: now };
}

/**
 * The state after one event.
 * @example
 * state = onLiveEvent(state, event, performance.now())
 */
export function onLiveEvent(state: RunState, event: LiveTestEvent, now: number): RunState {
  switch (event.type) {
    case 'request':
      // A retry starts over: what the report shows is the attempt that answered.
      return { ...state, phase: 'running', request: event, chunks: [], unlisted: 0, bytes: 0 };
    case 'retry':
      return state;
    case 'response':
      return { ...state, response: event, lastElapsedMs: event.elapsedMs };
    case 'prelude':
      return { ...state, prelude: event };
    case 'chunk': {
      const listed = state.chunks.length < MAX_LISTED_CHUNKS;
      return {
        ...state,
        chunks: listed ? [...state.chunks, { event, receivedMs: now - state.startedAt }] : state.chunks,
        unlisted: listed ? state.unlisted : state.unlisted + 1,
        bytes: event.bytes,
        lastElapsedMs: event.elapsedMs,
      };
    }
    case 'complete':
      return { ...state, complete: event, lastElapsedMs: event.totalMs };
    case 'error':
      return { ...state, error: event };
    case 'report':
      return { ...state, phase: 'done', report: event.report, doneMs: now - state.startedAt };
  }
}
