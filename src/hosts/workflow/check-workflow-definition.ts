/**
 * The workflow definition format and its check. The shape follows the HTTP-task platforms that model
 * their flows on Step Functions' states language: a `startTask`, `tasks` keyed by name, each with a
 * `type`, `inputParameters` and either `nextTask` or `end: true`.
 */
import type { ValidationIssue } from '../../index.js';
import { parseJsonPath, placeholderExpressions } from './resolve-placeholders.js';
import { WorkflowError } from './workflow-error.js';

/** A call of this task (`InvokeWithResponseStream`); `inputParameters` is the task input. */
export interface LambdaStreamTaskDefinition {
  type: 'lambda-stream';
  inputParameters?: unknown;
  nextTask?: string;
  end?: boolean;
  comment?: string;
}

/**
 * A JavaScript function from an ES module, resolved relative to the workflow file. It is called as
 * `fn(input, context)` and its return value (awaited) is the task's output.
 */
export interface ScriptTaskDefinition {
  type: 'script';
  module: string;
  /** The module's export to call; default `default`. */
  export?: string;
  inputParameters?: unknown;
  nextTask?: string;
  end?: boolean;
  comment?: string;
}

export type WorkflowTaskDefinition = LambdaStreamTaskDefinition | ScriptTaskDefinition;

/**
 * A workflow definition.
 * @example
 * { startTask: 'Ask', tasks: { Ask: { type: 'lambda-stream', inputParameters: { path: { FunctionName: 'echo' } }, end: true } } }
 */
export interface WorkflowDefinition {
  name?: string;
  comment?: string;
  startTask: string;
  tasks: Record<string, WorkflowTaskDefinition>;
}

const TASK_TYPES = ['lambda-stream', 'script'];
const TASK_KEYS = new Set(['type', 'module', 'export', 'inputParameters', 'nextTask', 'end', 'comment']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Check a definition and return the tasks in the order they run. Every broken rule is reported at
 * once (`WORKFLOW_INVALID`, with `issues`); nothing runs until the whole definition is sound.
 * Each task runs at most once, so a `nextTask` chain that loops back is rejected, as is a task no
 * chain reaches, and a placeholder that refers to a task that has not run before it.
 * @example
 * checkWorkflowDefinition(JSON.parse(readFileSync('flow.json', 'utf8'))) // ['Ask', 'Print']
 */
export function checkWorkflowDefinition(definition: unknown): {
  definition: WorkflowDefinition;
  order: string[];
} {
  const issues: ValidationIssue[] = [];
  const issue = (path: string, keyword: string, message: string): void => {
    issues.push({ location: 'workflow', path, keyword, message: `${path} ${message}` });
  };
  const done = (): never => {
    const first = issues[0]?.message ?? 'is invalid';
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw new WorkflowError('WORKFLOW_INVALID', `Invalid workflow: ${first}${more}`, { issues });
  };

  if (!isRecord(definition)) {
    issue('workflow', 'type', 'must be a JSON object');
    return done();
  }
  const { startTask, tasks } = definition;
  if (!isRecord(tasks) || Object.keys(tasks).length === 0) {
    issue('tasks', 'required', 'must be an object with at least one task');
    return done();
  }
  if (typeof startTask !== 'string') issue('startTask', 'required', 'must name the first task');
  else if (!Object.hasOwn(tasks, startTask))
    issue('startTask', 'reference', `names an unknown task '${startTask}'`);

  for (const [name, task] of Object.entries(tasks)) {
    const at = `tasks.${name}`;
    if (!isRecord(task)) {
      issue(at, 'type', 'must be an object');
      continue;
    }
    for (const key of Object.keys(task)) {
      if (!TASK_KEYS.has(key)) issue(`${at}.${key}`, 'additionalProperties', 'is not a task property');
    }
    if (typeof task.type !== 'string' || !TASK_TYPES.includes(task.type)) {
      issue(`${at}.type`, 'enum', `must be one of ${TASK_TYPES.join(', ')}`);
    }
    if (task.type === 'script') {
      if (typeof task.module !== 'string' || task.module === '')
        issue(`${at}.module`, 'required', 'must be the path of an ES module (relative to the workflow file)');
      if (task.export !== undefined && typeof task.export !== 'string')
        issue(`${at}.export`, 'type', 'must be the name of a function the module exports');
    } else if (task.module !== undefined || task.export !== undefined) {
      issue(at, 'additionalProperties', "has 'module'/'export', which only script tasks take");
    }
    const hasNext = task.nextTask !== undefined;
    if (hasNext && typeof task.nextTask !== 'string') issue(`${at}.nextTask`, 'type', 'must be a task name');
    else if (hasNext && !Object.hasOwn(tasks, task.nextTask as string))
      issue(`${at}.nextTask`, 'reference', `names an unknown task '${String(task.nextTask)}'`);
    if (task.end !== undefined && task.end !== true) issue(`${at}.end`, 'const', 'must be true when present');
    if (hasNext === (task.end === true))
      issue(at, 'oneOf', "must have exactly one of 'nextTask' or 'end: true'");
    for (const expression of placeholderExpressions(task.inputParameters)) {
      try {
        parseJsonPath(expression);
      } catch (error) {
        issue(
          `${at}.inputParameters`,
          'placeholder',
          (error as Error).message.replace(/^Placeholder /, 'has placeholder '),
        );
      }
    }
  }
  if (issues.length > 0) return done();

  // Follow the chain: a task seen twice is a cycle; tasks never reached are dead definitions.
  const order: string[] = [];
  const typed = tasks as Record<string, WorkflowTaskDefinition>;
  for (let name: string | undefined = startTask as string; name !== undefined; name = typed[name]?.nextTask) {
    if (order.includes(name)) {
      issue(`tasks.${order.at(-1)}.nextTask`, 'cycle', `leads back to '${name}': a task may run only once`);
      return done();
    }
    order.push(name);
  }
  for (const name of Object.keys(typed)) {
    if (!order.includes(name))
      issue(`tasks.${name}`, 'unreachable', `is never reached from startTask '${String(startTask)}'`);
  }
  // A placeholder may only read the workflow input and tasks that ran earlier.
  order.forEach((name, position) => {
    for (const expression of placeholderExpressions(typed[name]?.inputParameters)) {
      const [root, taskName] = parseJsonPath(expression);
      if (root === 'workflow') continue;
      if (root !== 'tasks') {
        issue(
          `tasks.${name}.inputParameters`,
          'placeholder',
          `has \${${expression}}: paths start with $.workflow or $.tasks`,
        );
      } else if (typeof taskName !== 'string' || !order.slice(0, position).includes(taskName)) {
        issue(
          `tasks.${name}.inputParameters`,
          'placeholder',
          `has \${${expression}}, which reads a task that has not run before '${name}'`,
        );
      }
    }
  });
  if (issues.length > 0) return done();
  return { definition: definition as unknown as WorkflowDefinition, order };
}
