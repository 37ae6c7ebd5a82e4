import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import * as emulatorApi from '../src/emulator/index.js';
import * as workflowApi from '../src/hosts/workflow/index.js';
import * as api from '../src/index.js';
import { packagePath } from '../src/paths.js';
import { entryExports } from './support/entry-exports.js';

// The public API is a contract: adding or removing an export, a value or a type, must be a visible diff here.
const EXPORTS = [
  'AgentPool',
  'DefinitionError',
  'ERROR_ACTORS',
  'ERROR_CODES',
  'FunctionError',
  'InputError',
  'OutputError',
  'ReadFileError',
  'ServiceError',
  'StreamError',
  'TaskError',
  'TransportError',
  'assertJsonOutputEncoding',
  'assertValidInput',
  'chunkBytes',
  'createExecutor',
  'escapeControls',
  'execute',
  'formatBytes',
  'invoke',
  'invokeStream',
  'isTaskError',
  'loadManifest',
  'packagePath',
  'readRegularFile',
  'redact',
  'renderReport',
  'secrets',
  'testRequest',
  'testRequestLive',
  'validateInput',
  'withDefaults',
];

// Type-only exports leave nothing at run time, so they are read from the entry files' export lists.
const TYPE_EXPORTS = [
  'AggregatedResult',
  'AwsCredentials',
  'AwsCredentialsProvider',
  'BodyParameters',
  'CallPlan',
  'ChunkEvent',
  'CompleteEvent',
  'ErrorActor',
  'ErrorClassName',
  'ErrorCodeInfo',
  'ErrorEvent',
  'ExecuteContext',
  'ExecuteOutput',
  'ExecutionObserver',
  'Executor',
  'ExecutorOptions',
  'HeaderParameters',
  'HttpIntegrationResponse',
  'HttpResponseEvent',
  'LiveChunkEvent',
  'LiveCompleteEvent',
  'LiveErrorEvent',
  'LivePreludeEvent',
  'LiveReportEvent',
  'LiveRequestEvent',
  'LiveResponseEvent',
  'LiveRetryEvent',
  'LiveTestEvent',
  'LoadedManifest',
  'LoadedSchema',
  'Manifest',
  'OutputEvent',
  'ParameterLocation',
  'PathParameters',
  'PlanErrors',
  'PlanEvents',
  'PlanResponse',
  'PlanSettingNames',
  'Preview',
  'QueryParameters',
  'ReadFileFailure',
  'ReadRegularFileOptions',
  'ResolvedSettings',
  'ResolvedTaskInput',
  'SecretRegistry',
  'StartEvent',
  'TaskErrorCode',
  'TaskErrorOptions',
  'TaskInput',
  'TaskLogger',
  'TaskSettings',
  'TestOutcome',
  'TestReport',
  'TestReportError',
  'TestReportEvent',
  'TestReportLimits',
  'TestReportOutput',
  'TestReportRequest',
  'TestReportResponse',
  'TestRequestOptions',
  'ValidationIssue',
];

const EMULATOR_TYPE_EXPORTS = [
  'EmulatorCredentials',
  'EmulatorHandle',
  'EmulatorOptions',
  'FaultSpec',
  'HttpResponsePrelude',
  'LambdaContext',
  'LambdaResponseStream',
  'StreamifyOptions',
  'StreamingHandler',
];

const WORKFLOW_TYPE_EXPORTS = [
  'ChunkedStepOutput',
  'ErrorEventLike',
  'LambdaStreamTaskDefinition',
  'RunWorkflowOptions',
  'ScriptContext',
  'ScriptFunction',
  'ScriptTaskDefinition',
  'WorkflowDefinition',
  'WorkflowEvent',
  'WorkflowResult',
  'WorkflowTaskDefinition',
];

const ENTRIES = [
  { file: packagePath('src', 'index.ts'), module: api as object, types: TYPE_EXPORTS },
  {
    file: packagePath('src', 'emulator', 'index.ts'),
    module: emulatorApi as object,
    types: EMULATOR_TYPE_EXPORTS,
  },
  {
    file: packagePath('src', 'hosts', 'workflow', 'index.ts'),
    module: workflowApi as object,
    types: WORKFLOW_TYPE_EXPORTS,
  },
];

describe('public API', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(api).sort()).toEqual(EXPORTS);
  });

  it('exports the emulator and the workflow runner from their own subpaths', () => {
    expect(Object.keys(emulatorApi).sort()).toEqual([
      'HttpResponseStream',
      'startEmulator',
      'streamifyResponse',
    ]);
    expect(Object.keys(workflowApi).sort()).toEqual(['WorkflowError', 'runWorkflow', 'taskErrorFromEvent']);
  });

  it('exports exactly the documented types, from each entry', () => {
    for (const entry of ENTRIES) {
      expect([entry.file, entryExports(entry.file).types]).toEqual([entry.file, entry.types]);
    }
  });

  it('reads the entry files as the runtime sees them (so the type lists can be trusted)', () => {
    for (const entry of ENTRIES) {
      expect([entry.file, entryExports(entry.file).values]).toEqual([
        entry.file,
        Object.keys(entry.module).sort(),
      ]);
    }
  });

  it('brands errors so isTaskError works without instanceof', () => {
    const error = new api.InputError('INVALID_INPUT', 'bad');
    expect(api.isTaskError(error)).toBe(true);
    expect(api.isTaskError(new Error('plain'))).toBe(false);
    expect(api.isTaskError({ code: 'INVALID_INPUT' })).toBe(false);
    expect(error.toJSON()).toMatchObject({ name: 'InputError', code: 'INVALID_INPUT', retryable: false });
  });
});

describe('entryExports', () => {
  const dir = mkdtempSync(join(tmpdir(), 'entry-exports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const entry = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('reads inline type modifiers, renames, local declarations, and skips comments', () => {
    const file = entry(
      'mixed.ts',
      [
        '/** export type { NotThis } from "./x.js"; */',
        "export { type Options, run as start, Thing } from './a.js'; // export { nor: this }",
        "export type { Shape as Form } from './b.js';",
        'export interface Local { a: number }',
        'export type Alias = string;',
        'export class Kind {}',
        'export const limit = 1;',
        'export async function go(): Promise<void> {}',
      ].join('\n'),
    );
    expect(entryExports(file)).toEqual({
      values: ['Kind', 'Thing', 'go', 'limit', 'start'],
      types: ['Alias', 'Form', 'Local', 'Options'],
    });
  });

  it('refuses export *, which would hide the names', () => {
    expect(() => entryExports(entry('star.ts', "export * from './a.js';\n"))).toThrow(/named exports/);
    expect(() => entryExports(entry('star-type.ts', "export type * from './a.js';\n"))).toThrow(
      /named exports/,
    );
  });
});
