/**
 * The console inside an instance, as Lambda's Node runtime patches it (`LogPatch.js`, text format):
 * every line is `timestamp\trequestId\tLEVEL\tmessage` and goes to the emulator, which adds it to
 * the invocation's log. Outside an invocation (module top level) the request id is `undefined`,
 * as the runtime writes it.
 */
import { format } from 'node:util';

const LEVELS = {
  log: 'INFO',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  debug: 'DEBUG',
  trace: 'TRACE',
} as const;
type Method = keyof typeof LEVELS;

/** The instance's log: the console and the runtime's own lines. */
export class InstanceConsole {
  /** The current invocation's request id. */
  requestId: string | undefined;
  private readonly send: (line: string) => void;

  constructor(send: (line: string) => void) {
    this.send = send;
  }

  /** A line as the runtime's console writes it. */
  console(level: string, message: string): void {
    this.send(`${new Date().toISOString()}\t${this.requestId}\t${level}\t${message}`);
  }

  /** Route the global console here. */
  install(): void {
    for (const method of Object.keys(LEVELS) as Method[]) {
      console[method] = (...args: unknown[]): void => {
        const text = format(...args);
        this.console(LEVELS[method], method === 'trace' ? `Trace: ${text}\n${traceStack()}` : text);
      };
    }
  }
}

function traceStack(): string {
  return (new Error().stack ?? '').split('\n').slice(3).join('\n');
}
