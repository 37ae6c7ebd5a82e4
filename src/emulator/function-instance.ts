/**
 * One instance of a function: a worker thread with its own environment, module graph and heap
 * limit (the function's memory size), running one invocation at a time. The emulator side enforces
 * what the sandbox cannot do for itself: the timeout (ending the thread also stops a busy loop),
 * and the report of an instance that died (crash, `process.exit`, out of memory) as Lambda words it.
 */
import { Worker } from 'node:worker_threads';
import type { DescribedError } from './format-error.js';
import { instanceEntry } from './instance-entry.js';
import { exitReport } from './instance-exit.js';
import type { FromInstance, InstanceData, ToInstance } from './instance-messages.js';
import type { InvocationLog } from './invocation-log.js';
import type { InvocationOutcome } from './invocation-outcome.js';
import type { InvocationSink } from './invocation-sink.js';
import type { LambdaContextFacts } from './lambda-context.js';
import { startTurn } from './start-gate.js';

/** What starting an instance needs. */
export interface InstanceSpec {
  /** Resolves with the module to import, or a `Runtime.*` load error. */
  module: Promise<{ ok: true; file: string } | { ok: false; errorType: string; message: string }>;
  functionName: string;
  env: Record<string, string>;
  memoryMb: number;
  /** Lines the instance writes outside an invocation. */
  onStray: (line: string) => void;
  /** Called once the instance is free again or gone, after every invocation. */
  onSettled: (instance: FunctionInstance) => void;
}

/** One invocation handed to the instance. */
export interface InstanceCall {
  event: unknown;
  facts: Omit<LambdaContextFacts, 'now' | 'logStreamName' | 'memoryMb' | 'deadline'>;
  traceId: string;
  sink: InvocationSink;
  log: InvocationLog;
  timeoutSeconds: number;
  signal: AbortSignal;
}

/** What the REPORT line needs besides the duration. */
export interface InstanceRun {
  outcome: InvocationOutcome;
  /** Set on the instance's first invocation (a cold start). */
  initMs: number | undefined;
  memoryUsedMb: number;
  /** `Status: … Error Type: …` of a REPORT line, when the instance died. */
  reportStatus: string | undefined;
}

/** Lambda's limit on an on-demand instance's init phase (importing the function's module). */
export const INIT_TIMEOUT_MS = 10_000;

type InitResult = { ok: true } | { ok: false; errorType: string; message: string };

interface Current {
  call: InstanceCall;
  /** Resolves the caller's outcome (once). */
  finish: ((run: Omit<InstanceRun, 'initMs'>) => void) | undefined;
  crash: DescribedError | undefined;
  timer: NodeJS.Timeout | undefined;
}

export class FunctionInstance {
  readonly logStreamName: string;
  /** False once the instance must not take another invocation. */
  reusable = true;
  private worker: Worker | undefined;
  private readonly ready: Promise<InitResult>;
  private resolveReady: (result: InitResult) => void = () => {};
  /** Resolves when the instance got its turn to start (see start-gate.ts). */
  private readonly launched: Promise<void>;
  private resolveLaunched: () => void = () => {};
  private initMs: number | undefined;
  /** The invocation the instance is busy with, from `invoke` until the handler is done or the instance gone. */
  private current: Current | undefined;
  private outOfMemory = false;
  private memoryUsedMb = 0;
  private readonly spec: InstanceSpec;

  constructor(spec: InstanceSpec, logStreamName: string) {
    this.spec = spec;
    this.logStreamName = logStreamName;
    this.ready = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
    this.launched = new Promise((resolve) => {
      this.resolveLaunched = resolve;
    });
    this.start().catch((error: unknown) => {
      // The sandbox itself could not start (no instance entry, no thread): the invocation fails.
      this.reusable = false;
      this.resolveLaunched();
      const message = error instanceof Error ? error.message : String(error);
      this.resolveReady({
        ok: false,
        errorType: 'Runtime.Unknown',
        message: `the instance did not start: ${message}`,
      });
    });
  }

  /** Run one invocation; never rejects. */
  async invoke(call: InstanceCall): Promise<InstanceRun> {
    const coldInit = this.initMs === undefined;
    const run = await new Promise<Omit<InstanceRun, 'initMs'>>((finish) => {
      const current: Current = { call, finish, crash: undefined, timer: undefined };
      // Init has its own budget, as Lambda's init phase, from when the instance got its turn to
      // start; the function's timeout starts when the handler is called.
      void this.launched.then(() => {
        if (this.current === current && this.initMs === undefined) {
          current.timer = setTimeout(() => this.timeout(call, true), INIT_TIMEOUT_MS);
        }
      });
      this.current = current;
      const onAbort = (): void => {
        // The handler runs on until it returns or times out (as in Lambda); the caller is done.
        this.reusable = false;
        this.post({ type: 'abort' });
        this.answer(current, { kind: 'aborted' });
      };
      call.signal.addEventListener('abort', onAbort, { once: true });
      void this.ready.then((init) => {
        if (this.current !== current) return;
        if (!init.ok) {
          call.log.console('ERROR', `${init.errorType}: ${init.message}`);
          this.answer(current, { kind: 'error', errorType: init.errorType, errorMessage: init.message });
          this.release();
          return;
        }
        clearTimeout(current.timer);
        const timeoutMs = Math.round(call.timeoutSeconds * 1000);
        current.timer = setTimeout(() => this.timeout(call, false), timeoutMs);
        const facts = {
          ...call.facts,
          deadline: Date.now() + timeoutMs,
          memoryMb: this.spec.memoryMb,
          logStreamName: this.logStreamName,
        };
        this.post({ type: 'invoke', event: call.event, facts, traceId: call.traceId });
      });
    });
    return { ...run, initMs: coldInit ? this.initMs : undefined };
  }

  /** End the instance (idle, retired or the emulator closing). */
  terminate(): void {
    this.reusable = false;
    void this.worker?.terminate();
  }

  private async start(): Promise<void> {
    const module = await this.spec.module;
    if (!module.ok) {
      this.reusable = false;
      this.resolveReady(module);
      this.resolveLaunched();
      return;
    }
    const done = await startTurn();
    void this.ready.then(done);
    const started = performance.now();
    this.resolveLaunched();
    const workerData: InstanceData = { file: module.file, functionName: this.spec.functionName };
    const worker = new Worker(await instanceEntry(), {
      workerData,
      env: this.spec.env,
      stdout: true,
      stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: this.spec.memoryMb },
    });
    this.worker = worker;
    if (!this.reusable) void worker.terminate();
    worker.unref();
    for (const stream of [worker.stdout, worker.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (text: string) => this.output(text));
    }
    worker.on('message', (message: FromInstance) => {
      if (message.type === 'ready') this.initMs ??= performance.now() - started;
      this.onMessage(message);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') this.outOfMemory = true;
      else if (this.current && !this.current.crash) {
        this.current.crash = { errorType: error.name, errorMessage: error.message, trace: [] };
      }
    });
    worker.on('exit', (code) => this.exited(code));
  }

  private onMessage(message: FromInstance): void {
    const current = this.current;
    if (message.type === 'ready') this.resolveReady({ ok: true });
    else if (message.type === 'init-error') {
      this.reusable = false;
      this.resolveReady({ ok: false, errorType: message.errorType, message: message.message });
    } else if (message.type === 'log') this.output(`${message.line}\n`);
    else if (message.type === 'crash') {
      this.reusable = false;
      if (current) current.crash = message.error;
    } else if (message.type === 'done') {
      this.memoryUsedMb = Math.max(this.memoryUsedMb, message.heapUsedMb);
      // Free first, answer second: the caller that sees the end can find this instance idle.
      if (message.idle) this.release();
      if (current) this.answer(current, message.outcome);
    } else if (message.type === 'idle') {
      this.memoryUsedMb = Math.max(this.memoryUsedMb, message.heapUsedMb);
      this.release();
    } else if (current?.finish && message.type === 'start') {
      current.call.sink.start(message.contentType);
    } else if (current?.finish && message.type === 'chunk') {
      const bytes = message.bytes.byteLength;
      current.call.sink.writeChunk(message.bytes).then(
        () => this.post({ type: 'ack', bytes }),
        () => this.post({ type: 'abort' }),
      );
    }
  }

  /** Output of the instance: into the invocation's log while one is answered, else the emulator's. */
  private output(text: string): void {
    for (const line of text.replace(/\n$/, '').split('\n')) {
      if (this.current?.finish) this.current.call.log.raw(line);
      else this.spec.onStray(line);
    }
  }

  /** Give the caller its outcome (once); the instance may stay busy after it (an aborted call). */
  private answer(current: Current, outcome: InvocationOutcome, reportStatus?: string): void {
    const finish = current.finish;
    current.finish = undefined;
    finish?.({ outcome, memoryUsedMb: this.memoryUsedMb, reportStatus });
  }

  /** The invocation is over inside the instance too: free again, or gone. */
  private release(): void {
    const current = this.current;
    if (!current) return;
    clearTimeout(current.timer);
    this.current = undefined;
    if (!this.reusable) this.terminate();
    this.spec.onSettled(this);
  }

  private timeout(call: InstanceCall, inInit: boolean): void {
    const current = this.current;
    if (current?.call !== call) return;
    const message = `Task timed out after ${call.timeoutSeconds.toFixed(2)} seconds`;
    if (inInit)
      call.log.raw(
        `INIT_REPORT Init Duration: ${INIT_TIMEOUT_MS.toFixed(2)} ms\tPhase: init\tStatus: timeout`,
      );
    if (current.finish) call.log.raw(`${new Date().toISOString()} ${call.facts.requestId} ${message}`);
    this.terminate();
    this.answer(current, { kind: 'timeout', errorType: 'Sandbox.Timedout', errorMessage: message });
    this.release();
  }

  private exited(code: number): void {
    this.reusable = false;
    const message = `Runtime exited with error: exit status ${code}`;
    this.resolveReady({ ok: false, errorType: 'Runtime.ExitError', message });
    const current = this.current;
    if (!current) {
      this.spec.onSettled(this);
      return;
    }
    if (current.finish) {
      const report = exitReport(current.call.facts.requestId, code, this.outOfMemory, current.crash);
      for (const line of report.lines) current.call.log.raw(line);
      if (this.outOfMemory) this.memoryUsedMb = this.spec.memoryMb;
      this.answer(current, report.outcome, report.reportStatus);
    }
    this.release();
  }

  private post(message: ToInstance): void {
    this.worker?.postMessage(message);
  }
}
