// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow placeholders are literal ${...} strings
import { describe, expect, it } from '@jest/globals';
import { checkWorkflowDefinition } from '../../src/hosts/workflow/check-workflow-definition.js';
import { WorkflowError } from '../../src/hosts/workflow/workflow-error.js';

function issuesOf(definition: unknown): Array<{ path: string; keyword: string; message: string }> {
  try {
    checkWorkflowDefinition(definition);
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowError);
    expect((error as WorkflowError).code).toBe('WORKFLOW_INVALID');
    return [...(error as WorkflowError).issues];
  }
  throw new Error('expected the definition to be rejected');
}

const call = (extra: Record<string, unknown>) => ({
  type: 'lambda-stream',
  inputParameters: { path: { FunctionName: 'echo' } },
  ...extra,
});

describe('checkWorkflowDefinition', () => {
  it('returns the tasks in the order the nextTask chain runs them', () => {
    const { order } = checkWorkflowDefinition({
      startTask: 'A',
      tasks: {
        C: call({ end: true }),
        A: call({ nextTask: 'B' }),
        B: {
          type: 'script',
          module: './s.mjs',
          inputParameters: { x: '${$.tasks.A.output}' },
          nextTask: 'C',
        },
      },
    });
    expect(order).toEqual(['A', 'B', 'C']);
  });

  it('rejects a missing or unknown startTask and unknown nextTask', () => {
    expect(issuesOf({ tasks: { A: call({ end: true }) } })).toContainEqual(
      expect.objectContaining({ path: 'startTask', keyword: 'required' }),
    );
    expect(issuesOf({ startTask: 'Z', tasks: { A: call({ end: true }) } })).toContainEqual(
      expect.objectContaining({ path: 'startTask', keyword: 'reference' }),
    );
    const issues = issuesOf({ startTask: 'A', tasks: { A: call({ nextTask: 'Nope' }) } });
    expect(issues).toContainEqual(
      expect.objectContaining({
        path: 'tasks.A.nextTask',
        message: "tasks.A.nextTask names an unknown task 'Nope'",
      }),
    );
  });

  it('rejects cycles: a task may run only once', () => {
    const issues = issuesOf({
      startTask: 'A',
      tasks: { A: call({ nextTask: 'B' }), B: call({ nextTask: 'A' }) },
    });
    expect(issues).toEqual([expect.objectContaining({ path: 'tasks.B.nextTask', keyword: 'cycle' })]);
  });

  it('rejects unreachable tasks, both or neither of nextTask/end, unknown types and script tasks without a module', () => {
    const issues = issuesOf({
      startTask: 'A',
      tasks: {
        A: call({ nextTask: 'B', end: true }),
        B: { type: 'http', end: true },
        C: { type: 'script', end: true },
        D: call({}),
      },
    });
    const paths = issues.map((i) => `${i.path}:${i.keyword}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'tasks.A:oneOf',
        'tasks.B.type:enum',
        'tasks.C.module:required',
        'tasks.D:oneOf',
      ]),
    );
    const unreachable = issuesOf({
      startTask: 'A',
      tasks: { A: call({ end: true }), Lost: call({ end: true }) },
    });
    expect(unreachable).toEqual([expect.objectContaining({ path: 'tasks.Lost', keyword: 'unreachable' })]);
  });

  it('rejects placeholders that read a task that has not run yet, or an unsupported root', () => {
    const issues = issuesOf({
      startTask: 'A',
      tasks: {
        A: call({ nextTask: 'B', inputParameters: { body: { Payload: '${$.tasks.B.output}' } } }),
        B: call({ end: true, inputParameters: { path: { FunctionName: '${$.env.NAME}' } } }),
      },
    });
    expect(issues.map((i) => i.message)).toEqual([
      "tasks.A.inputParameters has ${$.tasks.B.output}, which reads a task that has not run before 'A'",
      'tasks.B.inputParameters has ${$.env.NAME}: paths start with $.workflow or $.tasks',
    ]);
  });

  it('rejects a definition that is not an object, or has no tasks', () => {
    expect(issuesOf('x')[0]?.message).toBe('workflow must be a JSON object');
    expect(issuesOf({ startTask: 'A', tasks: {} })[0]?.path).toBe('tasks');
  });
});
