/**
 * The one place this package loads `lambda-stream-task`. The core is an ES module and Node-RED loads
 * nodes with `require`, so it is imported once, asynchronously, while Node-RED registers the node types
 * (a node module may return a promise from its init function).
 */

let core;

/**
 * The core's public API (the package entry), loaded on first use and kept.
 * @example
 * const { invoke } = await loadCore()
 */
function loadCore() {
  core ??= import('lambda-stream-task');
  return core;
}

/**
 * The task definition's fields, read from the installed core's `manifest.json` and `schemas/`.
 * @example
 * definition().task.parameters[0].prop // 'functionName'
 */
let described;
function definition() {
  if (described === undefined) {
    const { describeDefinition } = require('./describe-definition.js');
    described = describeDefinition((path) => require(`lambda-stream-task/${path}`));
  }
  return described;
}

module.exports = { loadCore, definition };
