/**
 * Node properties (and `msg` overrides) → the task input of the definition. Values from the editor
 * arrive as text: an empty text means "not set", numbers and booleans are converted by the schema's
 * type. Anything else is left for the core's validation to judge, so a bad value gets the same message
 * as `lambda-stream validate`, naming the node property.
 */

/** The core's encoding whose data is bytes: the node hands them on as Buffers (as-buffer.js). */
const BYTES_ENCODING = 'bytes';
/**
 * What flows made before the core had `bytes` say. Chunks are the core's bytes as for `bytes`; in
 * aggregated mode it promised a Buffer even for a JSON result, so that asks the core for base64
 * (which keeps the exact bytes of any payload) and the node decodes it once.
 */
const BUFFER_ENCODING = 'buffer';

function isUnset(value) {
  return value === undefined || value === null || value === '';
}

function convert(field, value) {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if ((field.type === 'integer' || field.type === 'number') && /^-?\d+(\.\d+)?$/.test(text))
    return Number(text);
  if (field.type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return value;
}

function put(target, path, value) {
  let at = target;
  for (const key of path.slice(0, -1)) {
    at[key] ??= {};
    at = at[key];
  }
  at[path[path.length - 1]] = value;
}

/**
 * The message's value for the body: a Buffer is sent as its bytes, a string as its UTF-8 bytes (so a
 * string that happens to start with `file://` is never read as a file name), anything else as JSON.
 * @example
 * toPayload('hi') // <Buffer 68 69>
 */
function toPayload(value) {
  if (value === undefined) return undefined;
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return value;
}

/**
 * The task input for one message.
 * `values`: node property → value (the node's configuration with the message's overrides applied);
 * `payload`: the body value (see {@link toPayload}); `aws`: `{ region, endpoint }` of the config node.
 * Returns the input and whether the node hands on Buffers (the `bytes` or `buffer` output encoding).
 * @example
 * buildTaskInput(definition(), { functionName: 'echo', outputMode: 'chunked' }, { hi: 1 }, { region: 'us-east-1' })
 * // { input: { path: { FunctionName: 'echo' }, body: { Payload: { hi: 1 } }, settings: { outputMode: 'chunked', region: 'us-east-1' } }, buffers: false }
 */
function buildTaskInput(definition, values, payload, aws) {
  const input = {};
  let buffers = false;
  const fields = [...definition.task.parameters, ...definition.task.settings.flatMap((g) => g.fields)];
  for (const field of fields) {
    let value = values[field.prop];
    if (isUnset(value)) continue;
    if (field.prop === 'outputEncoding' && (value === BYTES_ENCODING || value === BUFFER_ENCODING)) {
      buffers = true;
      value = value === BUFFER_ENCODING && values.outputMode !== 'chunked' ? 'base64' : BYTES_ENCODING;
    }
    input[field.location] ??= {};
    put(input[field.location], field.path, convert(field, value));
  }
  if (payload !== undefined) input.body = { [definition.task.payload.path[0]]: payload };
  for (const field of definition.config.settings) {
    const value = aws[field.prop];
    if (isUnset(value)) continue;
    input.settings ??= {};
    put(input.settings, field.path, convert(field, value));
  }
  return { input, buffers };
}

/**
 * Node property for a validation issue's path (`path.FunctionName` → `functionName`), so the editor
 * can show the message beside the right field; `undefined` for paths no field of the node holds.
 * @example
 * propertyFor(definition(), 'settings.timeouts.connectMs') // 'connectMs'
 */
function propertyFor(definition, issuePath) {
  const fields = [
    ...definition.task.parameters,
    definition.task.payload,
    ...definition.task.settings.flatMap((g) => g.fields),
    ...definition.config.settings,
  ];
  const found = fields.find((f) => `${f.location}.${f.path.join('.')}` === issuePath);
  return found?.prop;
}

module.exports = { buildTaskInput, propertyFor, toPayload, BUFFER_ENCODING };
