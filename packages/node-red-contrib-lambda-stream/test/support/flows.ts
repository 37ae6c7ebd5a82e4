/** Flow fragments the runtime tests deploy. */

/** Node-RED's join node in automatic mode, as the editor creates it. */
export function joinNode(id: string, wires: string[][]) {
  return {
    id,
    type: 'join',
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
    wires,
  };
}

/** The config node, pointed at an emulator, with its keys in the credential store. */
export function awsConfig(endpoint: string, extra: Record<string, unknown> = {}) {
  return { id: 'aws', type: 'lambda-stream-aws', name: 'emulator', region: 'us-east-1', endpoint, ...extra };
}

export const EMULATOR_KEYS = { aws: { accessKeyId: 'test', secretAccessKey: 'test' } };

/** Byte i of the `large` sample function's output is i % 251. */
export function largePattern(bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i += 1) out[i] = i % 251;
  return out;
}

/** lambda-stream → out (output 1) and done (output 2), a catch node → caught, plus `extra` nodes. */
export function taskFlow(
  endpoint: string,
  node: Record<string, unknown>,
  extra: unknown[] = [],
  wires: string[][] = [['out'], ['done']],
  aws: Record<string, unknown> = {},
) {
  return [
    awsConfig(endpoint, aws),
    { id: 'ls', type: 'lambda-stream', aws: 'aws', wires, ...node },
    { id: 'out', type: 'helper' },
    { id: 'done', type: 'helper' },
    { id: 'c1', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper' },
    ...extra,
  ];
}
