import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  canonicalHeaderNames,
  findModeledError,
  parameterLocation,
  parameterNames,
} from '../../src/definition/accessors.js';
import { loadManifest } from '../../src/definition/load-manifest.js';
import { DefinitionError } from '../../src/errors.js';
import type { Manifest } from '../../src/generated/manifest.js';
import { packagePath } from '../../src/paths.js';
import { validateInput } from '../../src/validation/validate-input.js';

const INVOKE_FIXTURE = join(import.meta.dirname, '..', '..', 'definitions', 'invoke.manifest.json');
const scratch = mkdtempSync(join(tmpdir(), 'manifest-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function realManifest(): Manifest {
  return JSON.parse(readFileSync(packagePath('manifest.json'), 'utf8')) as Manifest;
}

/** The real manifest with its schema paths made absolute, so a copy can live in a scratch folder. */
function copyOfManifest(): Manifest {
  const m = realManifest();
  const abs = (p: string) => packagePath(p);
  m.input.schema = abs(m.input.schema);
  m.settings.schema = abs(m.settings.schema);
  for (const location of ['path', 'headers', 'query', 'body'] as const) {
    m.parameters[location].schema = abs(m.parameters[location].schema);
  }
  m.outputs.modes.aggregated.schema = abs(m.outputs.modes.aggregated.schema);
  m.outputs.modes.chunked.schema = abs(m.outputs.modes.chunked.schema);
  return m;
}

let counter = 0;
function writeScratch(name: string, content: string): string {
  const file = join(scratch, `${counter++}-${name}`);
  writeFileSync(file, content);
  return file;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const DELETE = Symbol('delete');

/** Sets (or deletes) the value at a path like `['errors', 'modeled', 3, 'retry']`. */
function patch(root: Json, path: readonly (string | number)[], value: Json | typeof DELETE): void {
  let node: Json = root;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, Json>)[key] as Json;
  const last = path[path.length - 1] as string | number;
  const parent = node as Record<string | number, Json>;
  if (value === DELETE) delete parent[last];
  else parent[last] = value;
}

function loadBroken(path: readonly (string | number)[], value: Json | typeof DELETE): DefinitionError {
  const m = copyOfManifest() as unknown as Json;
  patch(m, path, value);
  const file = writeScratch('manifest.json', JSON.stringify(m));
  try {
    loadManifest(file);
  } catch (error: unknown) {
    if (error instanceof DefinitionError) return error;
    throw error;
  }
  throw new Error('expected the manifest to be rejected');
}

describe('the real manifest', () => {
  const manifest = loadManifest();

  it('passes the meta-schema and the cross-checks, and is cached and frozen', () => {
    expect(manifest.definition.id).toBe('aws.lambda.invoke-with-response-stream');
    expect(loadManifest()).toBe(manifest);
    expect(Object.isFrozen(manifest.operation)).toBe(true);
    expect(Object.isFrozen(manifest.parameters.headers.schema)).toBe(true);
  });

  it('describes the InvokeWithResponseStream operation and its signing', () => {
    expect(manifest.operation).toMatchObject({
      name: 'InvokeWithResponseStream',
      method: 'POST',
      pathTemplate: '/2021-11-15/functions/{FunctionName}/response-streaming-invocations',
    });
    expect(manifest.auth).toMatchObject({ type: 'aws-sigv4', signingName: 'lambda' });
    expect(manifest.operation.endpoint.override).toEqual({
      setting: 'endpoint',
      env: ['AWS_ENDPOINT_URL_LAMBDA', 'AWS_ENDPOINT_URL'],
    });
  });

  it('has endpoint templates per partition that pick the right host for each region', () => {
    const { partitions, defaultPartition } = manifest.operation.endpoint;
    const hostFor = (region: string, variant: 'default' | 'fips' | 'dualstack' | 'fipsDualstack') => {
      const p =
        partitions.find((x) => new RegExp(x.regionPattern).test(region)) ??
        partitions.find((x) => x.id === defaultPartition);
      return p?.templates[variant].replace('{region}', region);
    };
    // Expected URLs are the endpoint-rule tests quoted in the wire-format reference (§4).
    expect(hostFor('us-east-1', 'default')).toBe('https://lambda.us-east-1.amazonaws.com');
    expect(hostFor('us-east-1', 'fips')).toBe('https://lambda-fips.us-east-1.amazonaws.com');
    expect(hostFor('us-east-1', 'dualstack')).toBe('https://lambda.us-east-1.api.aws');
    expect(hostFor('us-east-1', 'fipsDualstack')).toBe('https://lambda-fips.us-east-1.api.aws');
    expect(hostFor('cn-north-1', 'default')).toBe('https://lambda.cn-north-1.amazonaws.com.cn');
    expect(hostFor('cn-north-1', 'dualstack')).toBe('https://lambda.cn-north-1.api.amazonwebservices.com.cn');
    expect(hostFor('us-gov-west-1', 'default')).toBe('https://lambda.us-gov-west-1.amazonaws.com');
    expect(hostFor('us-gov-east-1', 'fips')).toBe('https://lambda-fips.us-gov-east-1.amazonaws.com');
    expect(hostFor('us-gov-east-1', 'dualstack')).toBe('https://lambda.us-gov-east-1.api.aws');
    expect(hostFor('us-iso-east-1', 'default')).toBe('https://lambda.us-iso-east-1.c2s.ic.gov');
    expect(hostFor('us-isob-east-1', 'default')).toBe('https://lambda.us-isob-east-1.sc2s.sgov.gov');
  });

  it('names the parameters by location with their schemas', () => {
    expect(parameterNames(manifest, 'path')).toEqual(['FunctionName']);
    expect(parameterNames(manifest, 'query')).toEqual(['Qualifier']);
    expect(parameterNames(manifest, 'body')).toEqual(['Payload']);
    expect(parameterNames(manifest, 'headers')).toEqual(
      expect.arrayContaining([
        'X-Amz-Invocation-Type',
        'X-Amz-Log-Type',
        'X-Amz-Client-Context',
        'X-Amz-Tenant-Id',
      ]),
    );
    expect(parameterLocation(manifest, 'FunctionName')).toBe('path');
    expect(parameterLocation(manifest, 'x-amz-log-type')).toBe('headers');
    expect(parameterLocation(manifest, 'Qualifier')).toBe('query');
    expect(parameterLocation(manifest, 'Payload')).toBe('body');
    expect(parameterLocation(manifest, 'Nope')).toBeUndefined();
    expect(canonicalHeaderNames(manifest).get('x-amz-client-context')).toBe('X-Amz-Client-Context');
    expect(manifest.body).toMatchObject({
      member: 'Payload',
      maxBytes: 6_291_456,
      fileReferencePrefix: 'file://',
    });
    expect(manifest.parameters.headers.file).toBe(packagePath('schemas', 'headers.schema.json'));
  });

  it('describes the event-stream response, its events and the HTTP-integration prelude', () => {
    const response = manifest.response;
    expect(response.kind).toBe('eventstream');
    if (response.kind !== 'eventstream') throw new Error('unreachable');
    expect(response.contentType).toBe('application/vnd.amazon.eventstream');
    expect(response.successStatus).toEqual([200, 204]);
    expect(response.headers.executedVersion).toBe('X-Amz-Executed-Version');
    expect(response.headers.requestId).toEqual(['x-amzn-RequestId', 'x-amzn-Request-Id', 'x-amz-request-id']);
    expect(response.events.chunk).toEqual({ eventType: 'PayloadChunk', payload: 'bytes' });
    expect(response.events.complete).toEqual({
      eventType: 'InvokeComplete',
      fields: { errorCode: 'ErrorCode', errorDetails: 'ErrorDetails', logResult: 'LogResult' },
      logResultEncoding: 'base64',
    });
    expect(response.httpIntegration?.contentType).toBe('application/vnd.awslambda.http-integration-response');
    expect(Buffer.from(response.httpIntegration?.delimiterHex ?? '', 'hex')).toEqual(Buffer.alloc(8));
  });

  it('models all 37 errors with status and retry class', () => {
    const modeled = manifest.errors.modeled;
    expect(modeled).toHaveLength(37);
    expect(new Set(modeled.map((e) => e.name)).size).toBe(37);
    expect(findModeledError(manifest, 'TooManyRequestsException')).toMatchObject({
      status: 429,
      retry: 'throttling',
    });
    expect(findModeledError(manifest, 'EC2ThrottledException')).toMatchObject({
      status: 502,
      retry: 'throttling',
    });
    expect(findModeledError(manifest, 'ServiceException')).toMatchObject({ status: 500, retry: 'transient' });
    expect(findModeledError(manifest, 'KMSNotFoundException')).toMatchObject({
      status: 502,
      retry: 'transient',
    });
    expect(findModeledError(manifest, 'ResourceNotFoundException')).toMatchObject({
      status: 404,
      retry: 'none',
    });
    expect(findModeledError(manifest, 'RequestTooLargeException')).toMatchObject({
      status: 413,
      retry: 'none',
    });
    expect(findModeledError(manifest, 'NotAnError')).toBeUndefined();
    // Every 5xx is retried, every 4xx but 429 is not.
    for (const e of modeled) {
      if (e.status >= 500) expect(e.retry).not.toBe('none');
      else if (e.status !== 429) expect(e.retry).toBe('none');
    }
  });

  it('declares both output modes with their schemas, and the actions and entry point', () => {
    expect(manifest.outputs.default).toBe('aggregated');
    expect(manifest.outputs.aggregated.file).toBe(packagePath('schemas', 'output-aggregated.schema.json'));
    expect(manifest.outputs.chunked.file).toBe(packagePath('schemas', 'output-event.schema.json'));
    expect(manifest.definition.actions.execute.export).toBe('execute');
    expect(manifest.definition.actions.test.export).toBe('testRequest');
    expect(manifest.definition.entryPoint).toEqual({
      package: 'lambda-stream-task',
      module: 'dist/index.js',
    });
  });
});

describe('a broken manifest', () => {
  const firstError = realManifest().errors.modeled[0] as unknown as Json;
  it.each<[string, (string | number)[], Json | typeof DELETE, string, string]>([
    ['a missing field', ['auth', 'signingName'], DELETE, 'auth.signingName', 'auth.signingName is required'],
    [
      'a wrong enum',
      ['operation', 'method'],
      'FETCH',
      'operation.method',
      'operation.method must be one of GET, POST, PUT, PATCH, DELETE, HEAD',
    ],
    ['an unknown field', ['colour'], 'orange', 'colour', 'colour is not a known field'],
    [
      'a path label without a parameter',
      ['operation', 'pathTemplate'],
      '/2021-11-15/functions/{Function}/response-streaming-invocations',
      'operation.pathTemplate',
      'operation.pathTemplate uses {Function}, which is not a property of the path parameter schema',
    ],
    [
      'a body member the body schema lacks',
      ['parameters', 'body', 'member'],
      'Body',
      'parameters.body.member',
      'parameters.body.member is Body, which is not a property of the body schema',
    ],
    [
      'a missing schema file',
      ['parameters', 'query', 'schema'],
      join(scratch, 'nope.schema.json'),
      'parameters.query.schema',
      'the file does not exist',
    ],
    [
      'an event-stream response without events',
      ['response', 'events'],
      DELETE,
      'response.events',
      'response.events is required',
    ],
    [
      'a computed header the schema does not mark',
      ['auth', 'computedHeaders', 8],
      'X-Amz-Log-Type',
      'auth.computedHeaders[8]',
      'auth.computedHeaders[8] is X-Amz-Log-Type, which the header schema does not list with "x-computed": true',
    ],
    [
      'an unknown default partition',
      ['operation', 'endpoint', 'defaultPartition'],
      'aws-mars',
      'operation.endpoint.defaultPartition',
      'operation.endpoint.defaultPartition is aws-mars',
    ],
    [
      'a repeated error',
      ['errors', 'modeled', 37],
      firstError,
      'errors.modeled[37].name',
      'errors.modeled[37].name repeats InvalidParameterValueException',
    ],
    [
      'a bad retry class',
      ['errors', 'modeled', 3, 'retry'],
      'maybe',
      'errors.modeled[3].retry',
      'errors.modeled[3].retry must be one of throttling, transient, none',
    ],
    [
      'a setting the settings schema lacks',
      ['outputs', 'modeSetting'],
      'mode',
      'outputs.modeSetting',
      'outputs.modeSetting is mode, which is not a property of the settings schema',
    ],
    [
      'an empty-body status that is not a success',
      ['response', 'emptyBodyStatus'],
      [404],
      'response.emptyBodyStatus[0]',
      'response.emptyBodyStatus[0] is 404, which is not one of response.successStatus',
    ],
  ])('is rejected for %s, naming the field', (_label, at, value, path, message) => {
    const error = loadBroken(at, value);
    expect(error.code).toBe('DEFINITION_INVALID');
    const issue = error.issues.find((i) => i.path === path);
    expect(issue).toBeDefined();
    expect(issue?.location).toBe('manifest');
    expect(issue?.message).toContain(message);
    expect(error.message).toContain(message);
  });

  it('is rejected when a referenced schema is not a valid JSON Schema', () => {
    const bad = writeScratch('bad.schema.json', JSON.stringify({ type: 'strin' }));
    const error = loadBroken(['parameters', 'query', 'schema'], bad);
    expect(error.issues[0]?.path).toBe('parameters.query.schema');
    expect(error.issues[0]?.message).toContain('is not a valid JSON Schema');
  });

  it('is rejected when a $ref inside a schema points nowhere, naming the chain', () => {
    const input = JSON.parse(readFileSync(packagePath('schemas', 'task-input.schema.json'), 'utf8'));
    input.properties.query = { $ref: join(scratch, 'missing-query.schema.json') };
    const file = writeScratch('input.schema.json', JSON.stringify(input));
    const error = loadBroken(['input', 'schema'], file);
    const issue = error.issues.find((i) => i.path.startsWith('input.schema → '));
    expect(issue?.message).toContain('the file does not exist');
  });

  it('is rejected when it is not JSON', () => {
    const file = writeScratch('manifest.json', '{ "id": ');
    expect(() => loadManifest(file)).toThrow(DefinitionError);
    expect(() => loadManifest(file)).toThrow(/not valid JSON/);
  });

  it('is rejected when the file does not exist', () => {
    expect(() => loadManifest(join(scratch, 'absent.json'))).toThrow(/does not exist/);
  });
});

describe('the packaged Invoke definition (a second operation in the same format)', () => {
  const invoke = loadManifest(INVOKE_FIXTURE);

  it('is accepted by the loader, with its schemas resolved across folders', () => {
    expect(invoke.operation.name).toBe('Invoke');
    expect(invoke.operation.pathTemplate).toBe('/2015-03-31/functions/{FunctionName}/invocations');
    expect(invoke.parameters.path.file).toBe(packagePath('schemas', 'path.schema.json'));
    expect(invoke.parameters.headers.file).toBe(packagePath('definitions', 'invoke', 'headers.schema.json'));
    expect(invoke.errors.modeled).toHaveLength(43);
  });

  it('reads the function error and log from response headers of a plain JSON response', () => {
    expect(invoke.response).toMatchObject({
      kind: 'payload',
      contentType: 'application/json',
      successStatus: [200, 202, 204],
      headers: { functionError: 'X-Amz-Function-Error', logResult: 'X-Amz-Log-Result' },
    });
    expect(invoke.plan.response).toMatchObject({ kind: 'payload', events: undefined, maxBytes: 6291456 });
    expect([...invoke.plan.response.emptyBodyStatus]).toEqual([202, 204]);
  });

  it('validates inputs against its own schemas, not the streaming ones', () => {
    const event = { path: { FunctionName: 'f' }, headers: { 'X-Amz-Invocation-Type': 'Event' } };
    expect(validateInput(event, invoke)).toEqual([]);
    expect(validateInput(event)[0]?.keyword).toBe('enum');
    // The shared rules still apply through the shared path schema.
    expect(validateInput({ path: { FunctionName: 'f'.repeat(65) } }, invoke)[0]?.keyword).toBe(
      'plainNameMaxLength',
    );
  });
});
