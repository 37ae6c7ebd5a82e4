/**
 * Functions run in their own sandboxes, so a test cannot read their variables; a fixture reports
 * what it saw by logging `probe NAME [VALUE]`, and the test reads those lines from the emulator's
 * `onLog`. The lines of an invocation arrive before its response ends.
 */
export class LogProbe {
  private lines: string[] = [];

  /** Pass as the emulator's `onLog`. */
  readonly onLog = (line: string): void => {
    this.lines.push(line);
  };

  /** Forget what was seen. */
  reset(): void {
    this.lines = [];
  }

  /** The values reported under `name`, oldest first (an empty string for a bare `probe NAME`). */
  values(name: string): string[] {
    const out: string[] = [];
    for (const line of this.lines) {
      const match = /(?:^|\t)probe (\S+)(?: (.*))?$/.exec(line);
      if (match?.[1] === name) out.push(match[2] ?? '');
    }
    return out;
  }

  /** How often `name` was reported. */
  count(name: string): number {
    return this.values(name).length;
  }

  /** True once `name` was reported. */
  seen(name: string): boolean {
    return this.count(name) > 0;
  }

  /** Every line seen, for assertions on the log itself. */
  all(): readonly string[] {
    return this.lines;
  }
}
