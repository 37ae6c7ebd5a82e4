/**
 * The config node's part of a call: region and endpoint for the task input, credentials for the
 * execution context (never in the input, so they cannot end up in a report or a message).
 */

/**
 * `{ aws, credentials }` for a config node (or none: the environment and the default chain).
 * @example
 * const { aws, credentials } = awsFor(RED.nodes.getNode(config.aws))
 */
function awsFor(configNode) {
  if (configNode === null || configNode === undefined) return { aws: {}, credentials: undefined };
  return { aws: configNode.awsSettings(), credentials: configNode.awsCredentials() };
}

/**
 * The execution context of one call.
 * @example
 * core.invoke(input, callContext(signal, credentials))
 */
function callContext(signal, credentials) {
  const context = { signal };
  if (credentials !== undefined) context.credentials = credentials;
  return context;
}

module.exports = { awsFor, callContext };
