/**
 * The flow the end-to-end tests deploy through the admin API, with the property names a flow built in
 * the editor has: `http in → lambda-stream (chunked, bytes) → join (automatic) → http response`, a
 * catch node answering 500, and a second lambda-stream node for the editor test.
 */
export const SECRET = 'e2e-secret-access-key-0123456789';
export const KEY_ID = 'AKIDE2ETEST';

export function e2eFlow(endpoint: string) {
  const z = 'tab1';
  return [
    { id: z, type: 'tab', label: 'lambda stream e2e' },
    {
      id: 'awscfg',
      type: 'lambda-stream-aws',
      name: 'emulator',
      region: 'us-east-1',
      endpoint,
      credentialSource: 'keys',
      credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET },
    },
    {
      id: 'hin',
      type: 'http in',
      z,
      name: '',
      url: '/stream',
      method: 'post',
      upload: false,
      swaggerDoc: '',
      x: 120,
      y: 80,
      wires: [['lsA']],
    },
    {
      id: 'lsA',
      type: 'lambda-stream',
      z,
      name: 'large, chunked',
      aws: 'awscfg',
      functionName: 'large',
      outputMode: 'chunked',
      outputEncoding: 'bytes',
      payloadType: 'msg',
      payload: 'payload',
      x: 320,
      y: 80,
      wires: [['joinA'], []],
    },
    {
      id: 'joinA',
      type: 'join',
      z,
      name: '',
      mode: 'auto',
      build: 'object',
      property: 'payload',
      propertyType: 'msg',
      key: 'topic',
      joiner: '\\n',
      joinerType: 'str',
      useparts: false,
      accumulate: 'false',
      timeout: '',
      count: '',
      reduceRight: false,
      x: 520,
      y: 80,
      wires: [['hres']],
    },
    { id: 'hres', type: 'http response', z, name: '', statusCode: '', headers: {}, x: 700, y: 80, wires: [] },
    {
      id: 'catchA',
      type: 'catch',
      z,
      name: '',
      scope: ['lsA'],
      uncaught: false,
      x: 320,
      y: 160,
      wires: [['hfail']],
    },
    {
      id: 'hfail',
      type: 'http response',
      z,
      name: '',
      statusCode: '500',
      headers: {},
      x: 520,
      y: 160,
      wires: [],
    },
    {
      id: 'lsB',
      type: 'lambda-stream',
      z,
      name: '',
      aws: 'awscfg',
      functionName: 'tokens',
      outputMode: 'chunked',
      logType: 'Tail',
      payloadType: 'msg',
      payload: 'payload',
      testPayload: '{"count":8,"delayMs":150}',
      x: 320,
      y: 260,
      wires: [[], []],
    },
  ];
}

/** Byte i of the `large` sample function's output is i % 251. */
export function largeBytes(bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i += 1) out[i] = i % 251;
  return out;
}
