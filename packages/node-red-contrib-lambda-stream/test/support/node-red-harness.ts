/**
 * node-red-node-test-helper, set up once per test file, with the package's two node modules and
 * Node-RED's own join and catch nodes, plus an emulator to call.
 */
import { createRequire } from 'node:module';
import { type EmulatorHandle, startEmulator } from 'lambda-stream-task/emulator';
import { nodeRedRequire } from './node-red-install.js';

const require = createRequire(import.meta.url);
// The runtime tests run on Node-RED 4 on both lanes (it runs on Node 20 and 24).
const nodeRed = nodeRedRequire(4);

export interface TestNode {
  id: string;
  on(event: string, listener: (...args: never[]) => void): void;
  receive(msg: Record<string, unknown>): void;
  status: { (s: unknown): void; getCall?: unknown };
  [key: string]: unknown;
}

export interface Helper {
  init(runtimePath: string, settings?: Record<string, unknown>): void;
  load(nodes: unknown[], flow: unknown[], credentials?: Record<string, unknown>): Promise<void>;
  unload(): Promise<void>;
  getNode(id: string): TestNode;
  startServer(done: () => void): void;
  stopServer(done: () => void): void;
  request(): { post(path: string): SupertestRequest };
  settings(s: Record<string, unknown>): void;
}

export interface SupertestRequest {
  set(name: string, value: string): SupertestRequest;
  buffer(on: boolean): SupertestRequest;
  parse(
    parser: (res: NodeJS.ReadableStream, cb: (error: Error | null, body: unknown) => void) => void,
  ): SupertestRequest;
  send(
    body: unknown,
  ): Promise<{ status: number; body: unknown; text: string; headers: Record<string, string> }>;
}

export const helper: Helper = require('node-red-node-test-helper');
helper.init(nodeRed.resolve('node-red'));

export const lambdaStreamNode = require('../../nodes/lambda-stream.js');
export const awsConfigNode = require('../../nodes/lambda-stream-aws.js');
export const joinNode = nodeRed('@node-red/nodes/core/sequence/17-split.js');
export const catchNode = nodeRed('@node-red/nodes/core/common/25-catch.js');
export const ALL_NODES = [lambdaStreamNode, awsConfigNode, joinNode, catchNode];

export const startServer = () => new Promise<void>((resolve) => helper.startServer(resolve));
export const stopServer = () => new Promise<void>((resolve) => helper.stopServer(resolve));

/** A fresh emulator on a free loopback port (credentials `test`/`test`). */
export function emulator(): Promise<EmulatorHandle> {
  return startEmulator({ port: 0, host: '127.0.0.1' });
}

/**
 * Collects what a helper node receives, and resolves when `until(messages)` holds. With `failOn` (the
 * helper behind a catch node), an error caught first rejects, so a failing call fails the test at once
 * instead of running into the test's timeout.
 */
export function collect(
  node: TestNode,
  until: (messages: Array<Record<string, unknown>>) => boolean,
  failOn?: TestNode,
) {
  const messages: Array<Record<string, unknown>> = [];
  const done = new Promise<Array<Record<string, unknown>>>((resolve, reject) => {
    node.on('input', ((msg: Record<string, unknown>) => {
      messages.push(msg);
      if (until(messages)) resolve(messages);
    }) as never);
    failOn?.on('input', ((msg: { error?: unknown }) => {
      reject(new Error(`the flow reported an error: ${JSON.stringify(msg.error)}`));
    }) as never);
  });
  return { messages, done };
}
