/**
 * lambda-stream-task/bullmq: the task on a BullMQ worker pool in Redis — workers on any machines
 * take task inputs from one queue, publish each job's events to a Redis stream that consumers on
 * other machines read while the call streams, and combine several calls in a flow. A host beside
 * the core: it uses only the public entry. BullMQ and ioredis are optional peer dependencies.
 * Named exports only; `test/public-api.test.ts` snapshots this list.
 */

export type { Client, ClientOptions, EnqueuedFlow, EnqueuedJob, EnqueueOptions } from './create-client.js';
export { createClient } from './create-client.js';
export type { Combine, CombineJobData } from './flow-jobs.js';
export type { JobEvent, RestartEvent, RetryEvent } from './job-event.js';
export type { StreamLimits } from './job-stream.js';
export type { TaskJobData, TaskJobProgress, TaskJobResult } from './run-task-job.js';
export type { StartWorkerOptions, WorkerHandle } from './start-worker.js';
export { startWorker } from './start-worker.js';
