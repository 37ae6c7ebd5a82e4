/**
 * The instances of every function, as Lambda keeps them: an idle instance of the same function,
 * version and region is reused; when all are busy a new one starts (a cold start); instances idle
 * for a while are ended. Concurrency is capped per function (its reserved concurrency) and for
 * the whole emulator (the account's), and over a cap the request is throttled as the service does.
 */

import { FunctionInstance } from './function-instance.js';
import type { FunctionEntry, FunctionRegistry } from './function-registry.js';
import { instanceEnv, newLogStreamName } from './instance-env.js';
import { type Refusal, refuse } from './refusal.js';

/** Lambda's default concurrency of an account in a region. */
export const DEFAULT_ACCOUNT_CONCURRENCY = 1000;
/** How long an instance waits for its next invocation before it is ended. */
export const IDLE_INSTANCE_MS = 60_000;

export interface PoolOptions {
  registry: FunctionRegistry;
  accountConcurrency: number;
  onLog: ((line: string) => void) | undefined;
}

export class InstancePool {
  private readonly idle = new Map<string, FunctionInstance[]>();
  private readonly busy = new Map<FunctionInstance, string>();
  private readonly idleTimers = new Map<FunctionInstance, NodeJS.Timeout>();
  private readonly options: PoolOptions;
  private closed = false;

  constructor(options: PoolOptions) {
    this.options = options;
  }

  /**
   * An instance for one invocation, reserved at once (so the caps count it), or the throttle answer.
   * @example
   * const instance = pool.acquire(entry, '$LATEST', 'us-east-1');
   */
  acquire(entry: FunctionEntry, version: string, region: string): FunctionInstance | Refusal {
    const key = `${entry.name}\0${version}\0${region}`;
    const reserved = entry.config.reservedConcurrency;
    if (reserved !== undefined && this.busyCount(entry.name) >= reserved) {
      return throttled('ReservedFunctionConcurrentInvocationLimitExceeded');
    }
    if (this.busy.size >= this.options.accountConcurrency)
      return throttled('ConcurrentInvocationLimitExceeded');
    const reused = this.idle.get(key)?.pop();
    const instance = reused ?? this.create(entry, version, region);
    if (reused) clearTimeout(this.idleTimers.get(reused));
    this.busy.set(instance, key);
    return instance;
  }

  /** End the instances of `name` (all functions when undefined): the next invocation starts fresh. */
  retire(name?: string): void {
    for (const [key, list] of this.idle) {
      if (name !== undefined && !key.startsWith(`${name}\0`)) continue;
      // A copy: drop() takes each instance out of this list.
      for (const instance of [...list]) this.drop(instance);
      this.idle.delete(key);
    }
    for (const [instance, key] of this.busy) {
      if (name === undefined || key.startsWith(`${name}\0`)) instance.reusable = false;
    }
  }

  /** End every instance. */
  close(): void {
    this.closed = true;
    this.retire();
    for (const instance of this.busy.keys()) instance.terminate();
  }

  private busyCount(name: string): number {
    let n = 0;
    for (const key of this.busy.values()) if (key.startsWith(`${name}\0`)) n += 1;
    return n;
  }

  private create(entry: FunctionEntry, version: string, region: string): FunctionInstance {
    const logStreamName = newLogStreamName(version);
    const facts = { entry, functionsDir: this.options.registry.folder, version, region };
    return new FunctionInstance(
      {
        module: this.options.registry.moduleFile(entry),
        functionName: entry.name,
        env: instanceEnv(facts, logStreamName),
        memoryMb: entry.config.memorySize,
        onStray: (line) => this.options.onLog?.(line),
        onSettled: (instance) => this.settled(instance),
      },
      logStreamName,
    );
  }

  private settled(instance: FunctionInstance): void {
    const key = this.busy.get(instance);
    this.busy.delete(instance);
    if (key === undefined || !instance.reusable || this.closed) {
      this.drop(instance);
      return;
    }
    const list = this.idle.get(key) ?? [];
    list.push(instance);
    this.idle.set(key, list);
    const timer = setTimeout(() => {
      const at = list.indexOf(instance);
      if (at >= 0) list.splice(at, 1);
      this.drop(instance);
    }, IDLE_INSTANCE_MS);
    timer.unref();
    this.idleTimers.set(instance, timer);
  }

  private drop(instance: FunctionInstance): void {
    clearTimeout(this.idleTimers.get(instance));
    this.idleTimers.delete(instance);
    for (const list of this.idle.values()) {
      const at = list.indexOf(instance);
      if (at >= 0) list.splice(at, 1);
    }
    instance.terminate();
  }
}

function throttled(reason: string): Refusal {
  return refuse(429, 'TooManyRequestsException', 'Rate Exceeded.', { Reason: reason });
}
