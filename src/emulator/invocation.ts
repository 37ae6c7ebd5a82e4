/** One invocation as the request pipeline hands it to the run and respond steps. */
import type { FaultSpec } from './faults.js';
import type { FunctionEntry } from './function-registry.js';
import type { InvokeParameters } from './parse-invoke-parameters.js';

export interface Invocation {
  requestId: string;
  entry: FunctionEntry;
  /** The executed version. */
  version: string;
  /** The qualifier as the caller wrote it, if any. */
  qualifier: string | undefined;
  /** The region of the caller's signature. */
  region: string;
  /** The parsed JSON payload (`{}` for an empty body). */
  event: unknown;
  params: InvokeParameters;
  faults: FaultSpec;
  /** Headers every answer carries (a skewed `Date`). */
  extraHeaders: Record<string, string>;
}
