/**
 * The editor's admin endpoints (Express, under Node-RED's admin root, like the inject node's button):
 * - `POST lambda-stream/validate`: the dialog's values → the core's validation issues, each with the
 *   node property it belongs to (the same messages as `lambda-stream validate`). Nothing is sent.
 * - `POST lambda-stream/test`: the live Test request with the dialog's values and the deployed config
 *   node's credentials, streamed as NDJSON (one report event per line) while the call runs; closing the
 *   request aborts the call. Everything written passes through the core's `redact()`.
 */
const { buildTaskInput, propertyFor } = require('./build-task-input.js');
const { nodeValues, payloadSource } = require('./node-values.js');
const { awsFor, callContext } = require('./call-context.js');
const { guard } = require('./request-guard.js');
const { describeFailure } = require('./task-failure.js');

/**
 * The task input of the dialog's values, as the runtime would build it for the deployed node and a
 * message without overrides; the payload is the fixed JSON, else the dialog's test payload.
 * Validation needs no credentials (nor a deployed config node); a Test request needs both.
 */
function dialogInput(RED, def, body, withCredentials) {
  const config = body?.values ?? {};
  const source = payloadSource(
    config.payloadType === 'json' ? config : { payloadType: 'json', payload: config.testPayload },
  );
  const configNode = config.aws ? RED.nodes.getNode(config.aws) : undefined;
  if (withCredentials && config.aws && !configNode) {
    const error = new Error(
      'The AWS config node is not deployed yet: deploy the flow once, then run Test request',
    );
    error.code = 'INVALID_INPUT';
    throw error;
  }
  const aws = configNode ? configNode.awsSettings() : {};
  const credentials = withCredentials ? awsFor(configNode).credentials : undefined;
  const { input } = buildTaskInput(def, nodeValues(def, config, undefined), source(), aws);
  return { input, credentials };
}

function issuesFor(core, def, input) {
  return core.validateInput(input).map((issue) => ({
    prop: propertyFor(def, issue.path),
    path: issue.path,
    keyword: issue.keyword,
    message: core.redact(issue.message),
  }));
}

/**
 * Register the endpoints on `RED.httpAdmin`, behind `RED.auth.needsPermission`.
 * @example
 * registerAdminRoutes(RED, await loadCore(), definition())
 */
function registerAdminRoutes(RED, core, def) {
  const checked = guard(RED.settings);

  RED.httpAdmin.post(
    '/lambda-stream/validate',
    RED.auth.needsPermission('lambda-stream.read'),
    checked,
    (req, res) => {
      try {
        const { input } = dialogInput(RED, def, req.body, false);
        res.json({ issues: issuesFor(core, def, input) });
      } catch (error) {
        res.json({
          issues: [
            { prop: 'payload', path: 'payload', keyword: 'json', message: core.redact(error.message) },
          ],
        });
      }
    },
  );

  RED.httpAdmin.post(
    '/lambda-stream/test',
    RED.auth.needsPermission('lambda-stream.write'),
    checked,
    async (req, res) => {
      let prepared;
      try {
        prepared = dialogInput(RED, def, req.body, true);
      } catch (error) {
        res.status(400).json({ error: describeFailure(core, error) });
        return;
      }
      const controller = new AbortController();
      res.on('close', () => controller.abort(new Error('The editor closed the Test request')));
      res.status(200);
      res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.flushHeaders();
      try {
        const events = core.testRequestLive(
          prepared.input,
          callContext(controller.signal, prepared.credentials),
        );
        for await (const event of events) {
          if (res.destroyed) break;
          res.write(`${JSON.stringify(core.redact(event))}\n`);
        }
      } catch (error) {
        if (!res.destroyed)
          res.write(`${JSON.stringify({ type: 'failure', error: describeFailure(core, error) })}\n`);
      }
      res.end();
    },
  );
}

module.exports = { registerAdminRoutes };
