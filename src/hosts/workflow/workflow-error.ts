import { TaskError, type TaskErrorOptions, type ValidationIssue } from '../../index.js';

/**
 * The workflow failed. For a definition problem `code` is `WORKFLOW_INVALID` and `issues` lists
 * each rule broken; for a failed step `code` is `WORKFLOW_STEP_FAILED`, `task` names the step and
 * `cause` is the step's own error (a {@link TaskError} for `lambda-stream` steps).
 * @example
 * try { await runWorkflow(def, input) } catch (e) {
 *   if (e instanceof WorkflowError && isTaskError(e.cause)) console.error(e.task, e.cause.code)
 * }
 */
export class WorkflowError extends TaskError {
  /** The step that failed (absent for definition errors). */
  readonly task: string | undefined;
  readonly issues: readonly ValidationIssue[];

  constructor(
    code: 'WORKFLOW_INVALID' | 'WORKFLOW_STEP_FAILED',
    message: string,
    facts: { task?: string; issues?: readonly ValidationIssue[] } = {},
    options: TaskErrorOptions = {},
  ) {
    super(code, message, options);
    this.task = facts.task;
    this.issues = facts.issues ?? [];
  }

  override toJSON(): Record<string, unknown> {
    const out = super.toJSON();
    if (this.task !== undefined) out.task = this.task;
    if (this.issues.length > 0) out.issues = this.issues;
    const cause: unknown = this.cause;
    if (cause instanceof TaskError) out.cause = cause.toJSON();
    else if (cause instanceof Error) out.cause = { name: cause.name, message: cause.message };
    return out;
  }
}
