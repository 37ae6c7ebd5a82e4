import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { EmulatorHandle } from 'lambda-stream-task/emulator';
import { EMULATOR_KEYS, taskFlow } from './support/flows.js';
import {
  ALL_NODES,
  emulator,
  helper,
  type SupertestRequest,
  startServer,
  stopServer,
} from './support/node-red-harness.js';

interface LiveEvent {
  type: string;
  [key: string]: unknown;
}

let lambda: EmulatorHandle;

beforeAll(async () => {
  lambda = await emulator();
  await startServer();
});
afterAll(async () => {
  await stopServer();
  await lambda.close();
});
afterEach(() => helper.unload());

/** The NDJSON body as events, in the order they were written. */
function ndjson(req: SupertestRequest): SupertestRequest {
  return req.buffer(true).parse((res, cb) => {
    let text = '';
    res.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    res.on('end', () =>
      cb(
        null,
        text
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l)),
      ),
    );
  });
}

const post = (path: string) => helper.request().post(path).set('Host', '127.0.0.1:1880');

describe('POST lambda-stream/validate', () => {
  it('returns the core validation messages, each with the node property it belongs to', async () => {
    await helper.load(ALL_NODES, taskFlow(lambda.url, { functionName: 'echo' }), EMULATOR_KEYS);
    const res = await post('/lambda-stream/validate').send({
      values: { functionName: 'bad name!', connectMs: '0', aws: 'aws', payloadType: 'msg', testPayload: '' },
    });
    expect(res.status).toBe(200);
    const issues = (res.body as { issues: Array<{ prop: string; message: string }> }).issues;
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          prop: 'functionName',
          message: expect.stringContaining('path.FunctionName must be a function name'),
        }),
        {
          prop: 'connectMs',
          path: 'settings.timeouts.connectMs',
          keyword: 'minimum',
          message: 'settings.timeouts.connectMs must be at least 1',
        },
      ]),
    );
  });

  it('names the payload when the fixed JSON does not parse', async () => {
    await helper.load(ALL_NODES, taskFlow(lambda.url, { functionName: 'echo' }), EMULATOR_KEYS);
    const res = await post('/lambda-stream/validate').send({
      values: { functionName: 'echo', payloadType: 'json', payload: '{oops' },
    });
    expect((res.body as { issues: Array<{ prop: string }> }).issues).toEqual([
      expect.objectContaining({ prop: 'payload' }),
    ]);
  });
});

describe('POST lambda-stream/test', () => {
  it('streams the live Test request as NDJSON: request, response, each chunk, complete, then the report', async () => {
    await helper.load(ALL_NODES, taskFlow(lambda.url, { functionName: 'tokens' }), EMULATOR_KEYS);
    const res = await ndjson(post('/lambda-stream/test')).send({
      values: {
        functionName: 'tokens',
        aws: 'aws',
        logType: 'Tail',
        payloadType: 'msg',
        testPayload: '{"count":4,"delayMs":0}',
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/x-ndjson');
    const events = res.body as LiveEvent[];
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('request');
    expect(types.filter((t) => t === 'chunk')).toHaveLength(4);
    expect(types.slice(-2)).toEqual(['complete', 'report']);
    expect(types.indexOf('response')).toBeLessThan(types.indexOf('chunk'));
    const report = events.at(-1)?.report as {
      outcome: string;
      log?: { text: string };
      request: { headers: Record<string, string> };
    };
    expect(report.outcome).toBe('success');
    expect(report.log?.text).toContain('streaming 4 tokens');
    expect(report.request.headers.authorization ?? report.request.headers.Authorization).toContain(
      '<redacted>',
    );
  });

  it('uses the deployed config node credentials, and the secret never appears in what is streamed', async () => {
    const secret = 'wrong-secret-value-9876';
    await helper.load(ALL_NODES, taskFlow(lambda.url, { functionName: 'echo' }), {
      aws: { accessKeyId: 'test', secretAccessKey: secret },
    });
    const res = await ndjson(post('/lambda-stream/test')).send({
      values: { functionName: 'echo', aws: 'aws', payloadType: 'msg' },
    });
    const events = res.body as LiveEvent[];
    const report = events.at(-1)?.report as { outcome: string; error: { statusCode: number; hint: string } };
    expect(report.outcome).toBe('failed');
    expect(report.error.statusCode).toBe(403);
    expect(report.error.hint).not.toBe('');
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it('refuses a config node that is not deployed, before anything is sent', async () => {
    await helper.load(ALL_NODES, taskFlow(lambda.url, { functionName: 'echo' }), EMULATOR_KEYS);
    const res = await post('/lambda-stream/test').send({
      values: { functionName: 'echo', aws: 'not-deployed' },
    });
    expect(res.status).toBe(400);
    expect((res.body as { error: { message: string } }).error.message).toContain('not deployed');
  });

  it('refuses a foreign Origin and, without adminAuth, a Host that is not loopback (403)', async () => {
    await helper.load(ALL_NODES, taskFlow(lambda.url, { functionName: 'echo' }), EMULATOR_KEYS);
    const body = { values: { functionName: 'echo', aws: 'aws' } };
    const foreignOrigin = await post('/lambda-stream/test').set('Origin', 'http://evil.example').send(body);
    expect(foreignOrigin.status).toBe(403);
    const rebound = await helper
      .request()
      .post('/lambda-stream/test')
      .set('Host', 'evil.example:1880')
      .send(body);
    expect(rebound.status).toBe(403);
    const sameOrigin = await post('/lambda-stream/validate')
      .set('Origin', 'http://127.0.0.1:1880')
      .send(body);
    expect(sameOrigin.status).toBe(200);
  });
});
