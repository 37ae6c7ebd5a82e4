/**
 * The node's fields, read from the task definition (the manifest and its schemas) of the installed
 * `lambda-stream-task`: the editor generator renders the dialog and the help text from them, and the
 * runtime maps node properties and `msg` overrides back to the task input with them. Nothing about a
 * parameter (title, description, enum, default, limits) is written here; this file only decides which
 * parts of the definition belong to which node, how a wire name becomes a Node-RED property name, and
 * what the node itself does with a value where that differs from a JSON host (the output encodings).
 */

/** Settings shown in the task node's dialog, in this order (objects become a group of fields). */
const NODE_SETTINGS = ['outputMode', 'outputEncoding', 'framing', 'timeouts', 'retry', 'limits'];
/** Settings held by the config node (`lambda-stream-aws`). */
const CONFIG_SETTINGS = ['region', 'endpoint'];
/**
 * What the node does with a setting where it differs from the schema's words for JSON hosts: the
 * core's `bytes` reach the flow as Buffers over the core's memory, and `buffer`, what flows made
 * before `bytes` existed say, is kept beside it (a Buffer in aggregated mode even for a JSON result).
 */
const HOST_CHOICES = {
  outputEncoding: {
    description:
      'How the response reaches the flow: `utf8` text, `base64` text, or `bytes`: Buffers of the exact bytes (each chunk in chunked mode; in aggregated mode the whole payload, unless it is JSON, which is parsed). `buffer` (flows made before `bytes`): as `bytes`, but a Buffer in aggregated mode even for JSON.',
    labels: { bytes: 'bytes (Buffers)' },
    extra: [{ value: 'buffer', label: 'buffer (a Buffer even for JSON)' }],
  },
};
/** Settings that a flow message may not override: where the call goes and how it signs stay in the config node. */
const NOT_OVERRIDABLE = new Set([
  'connectMs',
  'firstByteMs',
  'idleMs',
  'totalMs',
  'maxAttempts',
  'baseDelayMs',
  'maxDelayMs',
  'maxAggregatedBytes',
  'maxLineBytes',
]);

/**
 * A Node-RED property name for a wire name: the AWS header prefix dropped, then camelCase
 * (`X-Amz-Invocation-Type` → `invocationType`, `FunctionName` → `functionName`).
 * @example
 * propertyName('X-Amz-Log-Type') // 'logType'
 */
function propertyName(wireName) {
  const bare = wireName.replace(/^x-amzn?-/i, '');
  const words = bare.split(/[-_]/).filter((w) => w !== '');
  return words
    .map((w, i) =>
      i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1),
    )
    .join('');
}

function field(location, path, schema, required) {
  const key = path[path.length - 1];
  const host = HOST_CHOICES[propertyName(key)];
  return {
    prop: propertyName(key),
    location,
    path,
    title: schema.title ?? key,
    description: host?.description ?? schema.description ?? '',
    type: schema.type ?? 'string',
    enum: schema.enum,
    default: schema.default,
    required,
    minimum: schema.minimum,
    maximum: schema.maximum,
    minLength: schema.minLength,
    maxLength: schema.maxLength,
    pattern: schema.pattern,
    patternDescription: schema['x-patternDescription'],
    examples: schema.examples,
    secret: schema['x-secret'] === true || schema.writeOnly === true,
    hostEnum: host?.extra,
    hostLabels: host?.labels,
  };
}

/** Fields of one parameter location, the signer's computed headers left out. */
function parameterFields(location, schema) {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .filter(([, s]) => s['x-computed'] !== true && s.readOnly !== true)
    .map(([key, s]) => field(location, [key], s, required.has(key)));
}

/** Fields of the named settings; an object setting becomes a group of its leaves. */
function settingFields(settingsSchema, names) {
  const groups = [];
  for (const name of names) {
    const s = settingsSchema.properties?.[name];
    if (s === undefined) continue;
    if (s.type === 'object' && s.properties !== undefined) {
      const leaves = Object.entries(s.properties).map(([leaf, ls]) =>
        field('settings', [name, leaf], ls, false),
      );
      groups.push({ title: s.title ?? name, description: s.description ?? '', fields: leaves });
    } else {
      groups.push({ title: null, description: '', fields: [field('settings', [name], s, false)] });
    }
  }
  return groups;
}

/**
 * Everything the node package needs to know about the definition, as plain data.
 * `read(relativePath)` returns a parsed JSON file of the core package (`manifest.json`, `schemas/…`).
 * @example
 * const d = describeDefinition((p) => require(`lambda-stream-task/${p}`))
 * d.task.parameters.map((f) => f.prop) // ['functionName', 'invocationType', …, 'qualifier']
 */
function describeDefinition(read) {
  const manifest = read('manifest.json');
  const params = manifest.parameters;
  const schemaOf = (ref) => read(ref);
  const parameters = [];
  for (const location of ['path', 'query', 'headers']) {
    if (params[location] !== undefined)
      parameters.push(...parameterFields(location, schemaOf(params[location].schema)));
  }
  const bodySchema = schemaOf(params.body.schema);
  const member = params.body.member;
  const payload = field('body', [member], bodySchema.properties[member], false);
  const settingsSchema = schemaOf(manifest.settings.schema);
  const nodeSettings = settingFields(settingsSchema, NODE_SETTINGS);
  const configSettings = settingFields(settingsSchema, CONFIG_SETTINGS).flatMap((g) => g.fields);
  const credentialsSchema = settingsSchema.properties.credentials;
  const credentials = Object.entries(credentialsSchema.properties).map(([key, s]) =>
    field('credentials', [key], s, (credentialsSchema.required ?? []).includes(key)),
  );
  const overridable = [...parameters, ...nodeSettings.flatMap((g) => g.fields)].filter(
    (f) => !NOT_OVERRIDABLE.has(f.prop),
  );
  return {
    manifest: { id: manifest.id, displayName: manifest.displayName, description: manifest.description },
    operation: {
      name: manifest.operation.name,
      method: manifest.operation.method,
      pathTemplate: manifest.operation.pathTemplate,
    },
    task: { parameters, payload, settings: nodeSettings, overridable: overridable.map((f) => f.prop) },
    config: {
      settings: configSettings,
      credentials,
      credentialsTitle: credentialsSchema.title,
      credentialsDescription: credentialsSchema.description,
    },
  };
}

module.exports = { describeDefinition, propertyName };
