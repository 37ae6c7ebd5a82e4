/**
 * lambda-stream-task: the public API. Named exports only; `test/public-api.test.ts` snapshots this list.
 */

export type {
  CallPlan,
  PlanErrors,
  PlanEvents,
  PlanResponse,
  PlanSettingNames,
} from './definition/call-plan.js';
export { loadManifest } from './definition/load-manifest.js';
export type { LoadedManifest, LoadedSchema, ParameterLocation } from './definition/loaded-manifest.js';
export type { ErrorActor, ErrorClassName, ErrorCodeInfo } from './error-codes.js';
export { ERROR_ACTORS, ERROR_CODES } from './error-codes.js';
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
export { escapeControls } from './escape-controls.js';
export type {
  AwsCredentials,
  AwsCredentialsProvider,
  ExecuteContext,
  ExecuteOutput,
  ExecutionObserver,
  Executor,
  ExecutorOptions,
} from './execute/types.js';
export { createExecutor, execute, invoke, invokeStream } from './execute.js';
export type { BodyParameters } from './generated/body.js';
export type { HeaderParameters } from './generated/headers.js';
export type { Manifest } from './generated/manifest.js';
export type { AggregatedResult } from './generated/output-aggregated.js';
export type {
  ChunkEvent,
  CompleteEvent,
  ErrorEvent,
  HttpIntegrationResponse,
  HttpResponseEvent,
  OutputEvent,
  StartEvent,
} from './generated/output-event.js';
export type { PathParameters } from './generated/path.js';
export type { QueryParameters } from './generated/query.js';
export type { TaskSettings } from './generated/settings.js';
export type { TaskInput } from './generated/task-input.js';
export type { TaskLogger } from './logger.js';
export { chunkBytes } from './output/chunk-bytes.js';
export { packagePath } from './paths.js';
export type { SecretRegistry } from './redact.js';
export { redact, secrets } from './redact.js';
export type {
  LiveChunkEvent,
  LiveCompleteEvent,
  LiveErrorEvent,
  LivePreludeEvent,
  LiveReportEvent,
  LiveRequestEvent,
  LiveResponseEvent,
  LiveRetryEvent,
  LiveTestEvent,
} from './report/live-test-event.js';
export { formatBytes, renderReport } from './report/render-report.js';
export type {
  Preview,
  TestOutcome,
  TestReport,
  TestReportError,
  TestReportEvent,
  TestReportLimits,
  TestReportOutput,
  TestReportRequest,
  TestReportResponse,
} from './report/test-report.js';
export type { TestRequestOptions } from './report/test-request.js';
export type { ReadFileFailure, ReadRegularFileOptions } from './request/read-regular-file.js';
export { ReadFileError, readRegularFile } from './request/read-regular-file.js';
export { testRequest, testRequestLive } from './test-request-entry.js';
export { AgentPool } from './transport/agent-pool.js';
export { assertJsonOutputEncoding } from './validation/assert-json-output-encoding.js';
export type { ResolvedSettings, ResolvedTaskInput } from './validation/validate-input.js';
export { assertValidInput, validateInput, withDefaults } from './validation/validate-input.js';
