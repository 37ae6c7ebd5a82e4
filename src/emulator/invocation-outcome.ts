/** How an invocation ended, as the emulator reports it (in `InvokeComplete`, `Invoke`'s answer, REPORT). */
export type InvocationOutcome =
  | { kind: 'success' }
  | { kind: 'error'; errorType: string; errorMessage: string; trace?: string[] }
  | { kind: 'timeout'; errorType: 'Sandbox.Timedout'; errorMessage: string }
  /** The client went away or the emulator is closing: nothing more can be sent. */
  | { kind: 'aborted' };
