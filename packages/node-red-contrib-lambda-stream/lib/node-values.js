/**
 * What one message runs with: the node's properties, the documented `msg` overrides on top, and the
 * body value from the configured payload source.
 */
const { toPayload } = require('./build-task-input.js');

/**
 * The payload source of a node: `msg.<property>` (default `msg.payload`) or a fixed JSON value.
 * Throws at deploy time for fixed JSON that does not parse, naming the property.
 * @example
 * const source = payloadSource({ payloadType: 'json', payload: '{"count":3}' }); source(msg, RED.util) // { count: 3 }
 */
function payloadSource(config) {
  if (config.payloadType === 'json') {
    let value;
    try {
      value = config.payload === undefined || config.payload === '' ? undefined : JSON.parse(config.payload);
    } catch (error) {
      throw new Error(`payload is not valid JSON: ${error.message}`);
    }
    return () => value;
  }
  const property = config.payload || 'payload';
  return (msg, util) => toPayload(util.getMessageProperty(msg, property));
}

/**
 * Node properties with the message's overrides applied (only the documented ones, and only when set).
 * @example
 * nodeValues(definition(), { functionName: 'echo' }, { functionName: 'tokens' }).functionName // 'tokens'
 */
function nodeValues(definition, config, msg) {
  const values = {};
  for (const field of [...definition.task.parameters, ...definition.task.settings.flatMap((g) => g.fields)]) {
    values[field.prop] = config[field.prop];
  }
  for (const prop of definition.task.overridable) {
    if (msg !== undefined && msg[prop] !== undefined && msg[prop] !== null) values[prop] = msg[prop];
  }
  return values;
}

module.exports = { payloadSource, nodeValues };
