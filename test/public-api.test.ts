import { describe, expect, it } from '@jest/globals';
import * as emulatorApi from '../src/emulator/index.js';
import * as workflowApi from '../src/hosts/workflow/index.js';
import * as api from '../src/index.js';

// The public API is a contract: adding or removing an export must be a visible diff here.
const EXPORTS = [
  'AgentPool',
  'DefinitionError',
  'FunctionError',
  'InputError',
  'OutputError',
  'ServiceError',
  'StreamError',
  'TaskError',
  'TransportError',
  'assertValidInput',
  'createExecutor',
  'execute',
  'formatBytes',
  'invoke',
  'invokeStream',
  'isTaskError',
  'loadManifest',
  'packagePath',
  'redact',
  'renderReport',
  'secrets',
  'testRequest',
  'testRequestLive',
  'validateInput',
  'withDefaults',
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

  it('brands errors so isTaskError works without instanceof', () => {
    const error = new api.InputError('INVALID_INPUT', 'bad');
    expect(api.isTaskError(error)).toBe(true);
    expect(api.isTaskError(new Error('plain'))).toBe(false);
    expect(api.isTaskError({ code: 'INVALID_INPUT' })).toBe(false);
    expect(error.toJSON()).toMatchObject({ name: 'InputError', code: 'INVALID_INPUT', retryable: false });
  });
});
