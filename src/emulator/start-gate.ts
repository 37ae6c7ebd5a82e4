/**
 * How many instances start at once. Starting a worker is CPU-bound (about 40 ms of a core each), so
 * 200 cold starts at once would each take seconds and run past the init budget; started a few at a
 * time, each one's init stays short and the whole batch finishes no later. An instance's init budget
 * counts from when it gets its turn. Two per core rather than one: 200 concurrent `tokens` calls took
 * 6.2–7.8 s with two against 17–32 s with one (bench/emulator-throughput.mjs; a shared machine, load
 * 10 and 21, so the figure is rough).
 */
import { availableParallelism } from 'node:os';

const SLOTS = Math.max(4, 2 * availableParallelism());
let free = SLOTS;
const waiting: Array<() => void> = [];

/**
 * Wait for a turn to start an instance; call the returned function once it is ready (or failed).
 * @example
 * const done = await startTurn(); try { … start the worker … } finally { done(); }
 */
export async function startTurn(): Promise<() => void> {
  if (free > 0) free -= 1;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const next = waiting.shift();
    if (next) next();
    else free += 1;
  };
}
