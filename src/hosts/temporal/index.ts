/**
 * lambda-stream-task/temporal: the task as a Temporal activity (heartbeats with progress, the
 * activity's cancellation, non-retryable failures where a retry would not help or would repeat
 * output). A host beside the core: it uses only the public entry. `@temporalio/activity` is an
 * optional peer dependency. Named exports only; `test/public-api.test.ts` snapshots this list.
 */

export type {
  ActivityProgress,
  ActivityRestartEvent,
  LambdaStreamActivityOptions,
  LambdaStreamActivityResult,
} from './create-activity.js';
export { createLambdaStreamActivity } from './create-activity.js';
