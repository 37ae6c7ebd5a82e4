/**
 * The `lambda-stream` node: each input message invokes the function with InvokeWithResponseStream.
 * Aggregated mode sends one message; chunked mode sends each chunk as it arrives (with `msg.parts`) and
 * a completion message on output 2. Failures go to `done(err)`, so catch nodes see them with
 * `msg.error.code`. Closing the flow (redeploy, stop, shutdown) aborts the calls in flight.
 */
const { loadCore, definition } = require('../lib/load-core.js');
const { buildTaskInput } = require('../lib/build-task-input.js');
const { nodeValues, payloadSource } = require('../lib/node-values.js');
const { awsFor, callContext } = require('../lib/call-context.js');
const { progressStatus } = require('../lib/progress-status.js');
const { runAggregated } = require('../lib/run-aggregated.js');
const { runChunked } = require('../lib/run-chunked.js');
const { describeFailure } = require('../lib/task-failure.js');
const { registerAdminRoutes } = require('../lib/admin-routes.js');

module.exports = async function registerLambdaStream(RED) {
  const core = await loadCore();
  const def = definition();

  function LambdaStreamNode(config) {
    RED.nodes.createNode(this, config);
    const status = progressStatus(this);
    const calls = new Map();
    let source;
    try {
      source = payloadSource(config);
    } catch (error) {
      this.error(error.message);
      status.failed('invalid payload');
    }

    async function run(msg, send, signal) {
      if (source === undefined)
        throw Object.assign(new Error('The node payload is not valid JSON'), { code: 'INVALID_INPUT' });
      const { aws, credentials } = awsFor(RED.nodes.getNode(config.aws));
      const values = nodeValues(def, config, msg);
      const { input, buffers } = buildTaskInput(def, values, source(msg, RED.util), aws);
      const call = {
        core,
        util: RED.util,
        input,
        context: callContext(signal, credentials),
        buffers,
        msg,
        send,
        status,
      };
      if (values.outputMode === 'chunked') await runChunked(call);
      else send([await runAggregated(call), null]);
    }

    this.on('input', (msg, send, done) => {
      const controller = new AbortController();
      const settled = run(msg, send, controller.signal).then(
        () => done(),
        (error) => {
          // Stopping the flow aborted it: not a failure of the message.
          if (controller.signal.aborted) {
            this.log(`call aborted: ${controller.signal.reason?.message ?? 'flow stopped'}`);
            done();
            return;
          }
          msg.lambda ??= {};
          msg.lambda.error ??= describeFailure(core, error);
          if (error.code !== 'FUNCTION_ERROR') status.failed(error.code ?? 'error');
          done(error);
        },
      );
      calls.set(controller, settled);
      settled.finally(() => calls.delete(controller));
    });

    this.on('close', (_removed, done) => {
      for (const controller of calls.keys()) controller.abort(new Error('The flow was stopped'));
      Promise.allSettled([...calls.values()]).then(() => {
        status.clear();
        done();
      });
    });
  }

  RED.nodes.registerType('lambda-stream', LambdaStreamNode);
  registerAdminRoutes(RED, core, def);
};
