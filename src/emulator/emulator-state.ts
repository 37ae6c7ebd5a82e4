/** What every request needs from the running emulator. */
import type { BodyBudget } from './body-budget.js';
import type { FaultCounters, FaultSpec } from './faults.js';
import type { FunctionRegistry } from './function-registry.js';
import type { InstancePool } from './instance-pool.js';

export interface EmulatorState {
  registry: FunctionRegistry;
  pool: InstancePool;
  /** Request-body bytes buffered across connections. */
  bodyBudget: BodyBudget;
  lookupSecret: (accessKeyId: string) => string | undefined;
  faultsByFunction: Readonly<Record<string, FaultSpec>>;
  counters: FaultCounters;
  now: () => number;
  onLog: ((line: string) => void) | undefined;
  /** Invocations in flight, so `close()` can end them. */
  active: Set<{ abort(): void }>;
}
