/**
 * A workflow across machines with BullMQ flows: a parent job that waits for several task jobs
 * (BullMQ keeps it in `waiting-children` until each child has completed) and combines their results.
 */
import type { FlowJob, Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import type { TaskJobResult } from './run-task-job.js';

/** Name of a task job. */
export const TASK_JOB = 'lambda-stream';
/** Name of a flow's parent job. */
export const COMBINE_JOB = 'lambda-stream:combine';

/** Data of a parent job: its children's job ids in the order the caller gave the inputs. */
export interface CombineJobData {
  children: string[];
}

/** Combines the children's results (in the order of the inputs) into the parent job's result. */
export type Combine = (results: TaskJobResult[], job: Job<CombineJobData>) => unknown;

/** The default combination: `{ results }`, in the order of the inputs. */
export const collectResults: Combine = (results) => ({ results });

/**
 * The FlowProducer tree of one parent and its task jobs. A failed child fails the parent, so a
 * flow never waits for a child that will not complete.
 * @example
 * await flows.add(flowOf('tasks', 'p1', [{ id: 'c1', input, opts: {} }]))
 */
export function flowOf(
  queue: string,
  parentId: string,
  children: { id: string; input: unknown; opts: Record<string, unknown> }[],
): FlowJob {
  return {
    name: COMBINE_JOB,
    queueName: queue,
    data: { children: children.map((child) => child.id) } satisfies CombineJobData,
    opts: { jobId: parentId },
    children: children.map((child) => ({
      name: TASK_JOB,
      queueName: queue,
      data: { input: child.input },
      opts: { ...child.opts, jobId: child.id, failParentOnFailure: true },
    })),
  };
}

/**
 * The parent's processor: the children's return values, in input order, through `combine`.
 * @example
 * if (job.name === COMBINE_JOB) return combineChildren(job, collectResults);
 */
export async function combineChildren(job: Job<CombineJobData>, combine: Combine): Promise<unknown> {
  const values = await job.getChildrenValues<TaskJobResult>();
  // Keys are `prefix:queue:id`; ids are ours (UUIDs, no colon).
  const byId = new Map(
    Object.entries(values).map(([key, value]) => [key.slice(key.lastIndexOf(':') + 1), value]),
  );
  const results = job.data.children.map((id) => {
    const value = byId.get(id);
    if (value === undefined) throw new UnrecoverableError(`Child job ${id} of flow ${job.id} has no result`);
    return value;
  });
  return await combine(results, job);
}
