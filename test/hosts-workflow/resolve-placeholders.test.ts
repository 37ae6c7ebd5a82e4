// biome-ignore-all lint/suspicious/noTemplateCurlyInString: workflow placeholders are literal ${...} strings
import { describe, expect, it } from '@jest/globals';
import { parseJsonPath, resolvePlaceholders } from '../../src/hosts/workflow/resolve-placeholders.js';
import { WorkflowError } from '../../src/hosts/workflow/workflow-error.js';

const scope = {
  workflow: { input: { prompt: 'hi', n: 3, list: ['a', { b: true }], 'odd key': 'x' } },
  tasks: { Ask: { output: { payload: { answer: 42 }, text: 'streamed' } } },
};

describe('parseJsonPath', () => {
  it('reads dotted names, indexes and quoted keys', () => {
    expect(parseJsonPath("$.workflow.input.list[1]['b']")).toEqual(['workflow', 'input', 'list', 1, 'b']);
    expect(parseJsonPath('$["odd key"]')).toEqual(['odd key']);
    expect(parseJsonPath('$')).toEqual([]);
  });

  it('rejects what it does not support, naming the expression', () => {
    expect(() => parseJsonPath('workflow.input')).toThrow(
      "Placeholder path 'workflow.input' must start with '$'",
    );
    expect(() => parseJsonPath('$.a[*]')).toThrow(/unsupported bracket/);
    expect(() => parseJsonPath('$..a')).toThrow(/no property name/);
  });
});

describe('resolvePlaceholders', () => {
  it('keeps the type of a whole-string placeholder', () => {
    const out = resolvePlaceholders(
      {
        n: '${$.workflow.input.n}',
        obj: '${$.tasks.Ask.output.payload}',
        flag: '${$.workflow.input.list[1].b}',
      },
      scope,
      'x',
    );
    expect(out).toEqual({ n: 3, obj: { answer: 42 }, flag: true });
  });

  it('interpolates embedded placeholders as text (objects as JSON)', () => {
    const out = resolvePlaceholders(
      [
        "say ${$.workflow.input.prompt} ${$['workflow']['input']['odd key']}",
        'got ${$.tasks.Ask.output.payload}',
      ],
      scope,
      'x',
    );
    expect(out).toEqual(['say hi x', 'got {"answer":42}']);
  });

  it('leaves plain values alone and does not touch the template', () => {
    const template = { a: 1, b: [null, 'plain'], c: { d: false } };
    expect(resolvePlaceholders(template, scope, 'x')).toEqual(template);
  });

  it('fails with the place in the definition when a path refers to nothing', () => {
    let caught: unknown;
    try {
      resolvePlaceholders(
        { body: { Payload: '${$.tasks.Missing.output}' } },
        scope,
        'tasks.Echo.inputParameters',
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(WorkflowError);
    expect((caught as WorkflowError).code).toBe('WORKFLOW_INVALID');
    expect((caught as Error).message).toContain('tasks.Echo.inputParameters.body.Payload');
    expect((caught as Error).message).toContain('${$.tasks.Missing.output}');
  });
});

describe('resolvePlaceholders and __proto__', () => {
  it('keeps a __proto__ key of a template as an own key of the result', () => {
    // Issue 18, defect 7: the resolved copy assigned `out.__proto__`, so the key vanished.
    const template = JSON.parse('{"__proto__":{"n":"${$.workflow.input.n}"},"b":1}') as object;
    const out = resolvePlaceholders(template, scope, 'x');
    expect(JSON.stringify(out)).toBe('{"__proto__":{"n":3},"b":1}');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});
