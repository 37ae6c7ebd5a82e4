/**
 * lambda-stream-task/workflow: the embedded workflow runner, a host beside the core that uses only
 * the public entry. Named exports only; `test/public-api.test.ts` snapshots this list.
 */

export type {
  LambdaStreamTaskDefinition,
  ScriptTaskDefinition,
  WorkflowDefinition,
  WorkflowTaskDefinition,
} from './check-workflow-definition.js';
export type {
  RunWorkflowOptions,
  ScriptContext,
  ScriptFunction,
  WorkflowEvent,
  WorkflowResult,
} from './run-workflow.js';
export { runWorkflow } from './run-workflow.js';
export type { ChunkedStepOutput } from './streaming-step.js';
export type { ErrorEventLike } from './task-error-from-event.js';
export { taskErrorFromEvent } from './task-error-from-event.js';
export { WorkflowError } from './workflow-error.js';
