import type { HttpIntegrationResponse } from '../output/http-integration-prelude.js';

/** What the call's completion said (and the HTTP-integration prelude, when there was one). */
export interface Completion {
  errorCode?: string;
  errorDetails?: string;
  /** The tail log as it arrived (base64). */
  logResult?: string;
  httpResponse?: HttpIntegrationResponse;
}

/** The payload pieces of one read of the body, and the completion when it came in that read. */
export interface PayloadBatch {
  elapsedMs: number;
  chunks: Uint8Array[];
  complete?: Completion;
}
