/**
 * lambda-stream-task: the public API. Named exports only; `test/public-api.test.ts` snapshots this list.
 */

export type { TaskErrorCode, TaskErrorOptions, ValidationIssue } from './errors.js';
export {
  DefinitionError,
  FunctionError,
  InputError,
  isTaskError,
  OutputError,
  ServiceError,
  StreamError,
  TaskError,
  TransportError,
} from './errors.js';
export { redact } from './redact.js';
