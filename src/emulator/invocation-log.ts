/**
 * One invocation's log, in the text format Lambda's Node runtime writes
 * (`timestamp\trequestId\tLEVEL\tmessage`), with the START/END/REPORT lines around it; the tail
 * (last 4 KB) goes back to the caller in `LogResult` when it asked for `Tail`.
 */

/** Lambda returns at most the last 4 KB of the log. */
export const TAIL_BYTES = 4096;

/** Bounded: only the tail is ever returned, so older text is dropped once well past it. */
const KEEP_BYTES = TAIL_BYTES * 4;

export class InvocationLog {
  private text = '';
  private readonly requestId: string;
  private readonly now: () => number;
  private readonly forward: ((line: string) => void) | undefined;

  constructor(requestId: string, now: () => number, forward?: (line: string) => void) {
    this.requestId = requestId;
    this.now = now;
    this.forward = forward;
  }

  /** A line as the runtime's console writes it. */
  console(level: string, message: string): void {
    this.raw(`${new Date(this.now()).toISOString()}\t${this.requestId}\t${level}\t${message}`);
  }

  /** A platform line (START, END, REPORT, timeouts). */
  raw(line: string): void {
    this.text += `${line}\n`;
    if (this.text.length > KEEP_BYTES * 2) this.text = this.text.slice(-KEEP_BYTES);
    this.forward?.(line);
  }

  /** The last 4 KB (bytes, not characters) of the log, base64. */
  tailBase64(): string {
    const bytes = Buffer.from(this.text, 'utf8');
    return bytes.subarray(Math.max(0, bytes.length - TAIL_BYTES)).toString('base64');
  }
}
