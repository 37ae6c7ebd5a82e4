#!/usr/bin/env node
/**
 * Generates the n8n node's and credential's properties from lambda-stream-task's definition
 * (manifest.json and the schemas it names) into src/generated/node-description.json, so the panel
 * n8n shows is the definition's, not a hand-copied list: a parameter, setting, enum value, default,
 * bound or description added to a schema appears in n8n at the next build.
 *
 * What this script decides (the host's choices, not the API's): where a setting goes (the node
 * panel, the credential, or nowhere), which fields show only in chunked mode, how the payload is
 * chosen (a JSON field or the input item), which fields take no expressions, and which enum values
 * it leaves out (those whose output is not JSON).
 *
 *   node scripts/generate-properties.mjs           write the file
 *   node scripts/generate-properties.mjs --check   fail if the committed file differs (drift)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, '..', 'src', 'generated', 'node-description.json');
const require = createRequire(import.meta.url);
const readPackageJson = (subpath) =>
  JSON.parse(readFileSync(require.resolve(`lambda-stream-task/${subpath}`), 'utf8'));

const manifest = readPackageJson('manifest.json');
const schemaOf = (file) => readPackageJson(file);

/** Settings that belong to the credential (where and as whom to call), and those the node omits. */
const CREDENTIAL_SETTINGS = ['region', 'endpoint', 'useFipsEndpoint', 'useDualstackEndpoint', 'profile'];
/** spillDirectory writes files on the n8n machine: a community node does not touch the file system. */
const OMITTED_SETTINGS = ['credentials', 'spillDirectory'];
/** Shown only when another field has one of these values. */
const SHOW_WHEN = {
  framing: { outputMode: ['chunked'] },
  payload: { payloadSource: ['json'] },
  profile: { authentication: ['defaultChain'] },
  accessKeyId: { authentication: ['accessKey'] },
  secretAccessKey: { authentication: ['accessKey'] },
  sessionToken: { authentication: ['accessKey'] },
};
/**
 * Enum values the node does not offer: an n8n item is JSON, and `bytes` gives a Uint8Array that
 * JSON cannot carry (the node refuses it from an expression too, in run-item.ts).
 */
const OMITTED_VALUES = { outputEncoding: ['bytes'] };
/** Fields that change the shape of the output: a fixed choice, as n8n's own resource/operation fields. */
const NO_EXPRESSION = ['outputMode', 'payloadSource', 'authentication'];

/** `X-Amz-Invocation-Type` → `invocationType`, `FunctionName` → `functionName`. */
function fieldName(wireName) {
  const words = wireName.replace(/^X-Amz-/i, '').split(/[-_]/);
  const joined = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return joined.charAt(0).toLowerCase() + joined.slice(1);
}

/** n8n renders descriptions as HTML: `code` becomes <code>code</code>; the rule a pattern states is appended. */
function describe(schema) {
  const text = (schema.description ?? '').replace(/`([^`]+)`/g, '<code>$1</code>');
  return schema['x-patternDescription'] ? `${text} Must be ${schema['x-patternDescription']}.`.trim() : text;
}

/** n8n's display names are in title case: "Function name" → "Function Name" (acronyms kept). */
const SMALL_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'in', 'of', 'on', 'or', 'the', 'to']);
function titleCase(text) {
  return text
    .split(' ')
    .map((word, i) => (i > 0 && SMALL_WORDS.has(word) ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join(' ');
}

/** One n8n property for one schema property. */
function property(name, schema, extra = {}) {
  const base = { displayName: titleCase(schema.title ?? name), name, description: describe(schema) };
  if (SHOW_WHEN[name]) base.displayOptions = { show: SHOW_WHEN[name] };
  if (NO_EXPRESSION.includes(name)) base.noDataExpression = true;
  if (schema.type === 'object') {
    const options = Object.entries(schema.properties).map(([key, member]) => property(key, member));
    return {
      ...base,
      type: 'collection',
      placeholder: `Add ${base.displayName.toLowerCase()}`,
      default: {},
      options,
      ...extra,
    };
  }
  if (Array.isArray(schema.enum)) {
    const omitted = OMITTED_VALUES[name] ?? [];
    const options = schema.enum
      .filter((value) => !omitted.includes(value))
      .map((value) => ({ name: String(value), value }));
    // An enum without a default: the field may be left out, and then nothing is sent.
    if (schema.default === undefined) options.unshift({ name: 'Not Sent', value: '' });
    return { ...base, type: 'options', options, default: schema.default ?? '', ...extra };
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    const typeOptions = { minValue: schema.minimum, maxValue: schema.maximum };
    if (schema.type === 'integer') typeOptions.numberPrecision = 0;
    return { ...base, type: 'number', typeOptions, default: schema.default ?? 0, ...extra };
  }
  if (schema.type === 'boolean')
    return { ...base, type: 'boolean', default: schema.default ?? false, ...extra };
  const out = { ...base, type: 'string', default: schema.default ?? '', ...extra };
  if (schema['x-secret']) out.typeOptions = { password: true };
  if (Array.isArray(schema.examples) && typeof schema.examples[0] === 'string')
    out.placeholder = schema.examples[0];
  return out;
}

/** The panel's order of the parameter locations: what to call, then what to send, then how. */
const LOCATION_ORDER = ['path', 'query', 'body', 'headers'];

/** The API parameters (the signer's computed headers left out); the body is the payload fields. */
function parameterFields() {
  const fields = [];
  const bindings = [];
  const locations = Object.keys(manifest.parameters).sort(
    (a, b) => LOCATION_ORDER.indexOf(a) - LOCATION_ORDER.indexOf(b),
  );
  for (const location of locations) {
    if (location === 'body') {
      fields.push(...payloadFields().fields);
      continue;
    }
    const schema = schemaOf(manifest.parameters[location].schema);
    for (const [key, member] of Object.entries(schema.properties)) {
      if (member['x-computed'] || member.readOnly) continue;
      const name = fieldName(key);
      const required = (schema.required ?? []).includes(key);
      fields.push(property(name, member, required ? { required: true } : {}));
      bindings.push({ name, location, key });
    }
  }
  return { fields, bindings };
}

/** Where the payload comes from (the host's choice) and the JSON field the body schema describes. */
function payloadFields() {
  const body = manifest.parameters.body;
  const member = schemaOf(body.schema).properties[body.member];
  const source = {
    displayName: 'Payload Source',
    name: 'payloadSource',
    type: 'options',
    noDataExpression: true,
    options: [
      {
        name: 'JSON Field',
        value: 'json',
        description: 'The JSON value of the Payload field (expressions allowed)',
      },
      { name: 'Input Item', value: 'item', description: "Each input item's JSON, as is" },
    ],
    default: 'json',
    description: 'What is sent as the function event',
  };
  const payload = { ...property('payload', { ...member, type: 'json' }), type: 'json', default: '{}' };
  return { fields: [source, payload], member: body.member };
}

/** The task settings that are not the credential's, in the schema's order (groups become collections). */
function settingFields(settings) {
  const skip = new Set([...CREDENTIAL_SETTINGS, ...OMITTED_SETTINGS]);
  return Object.entries(settings.properties)
    .filter(([key]) => !skip.has(key))
    .map(([key, member]) => property(key, member));
}

/** The credential: how to authenticate (the host's choice), the keys of settings.credentials, and where to call. */
function credentialFields(settings) {
  const authentication = {
    displayName: 'Authentication',
    name: 'authentication',
    type: 'options',
    noDataExpression: true,
    options: [
      {
        name: 'Access Key',
        value: 'accessKey',
        description: 'An access key id and secret (and session token), kept in n8n',
      },
      {
        name: 'Default Credential Chain',
        value: 'defaultChain',
        description:
          'The AWS default credential chain of the machine n8n runs on (environment, shared profile, SSO, container or instance role)',
      },
    ],
    default: 'accessKey',
  };
  const keys = settings.properties.credentials;
  const keyFields = Object.entries(keys.properties).map(([key, member]) =>
    property(key, member, (keys.required ?? []).includes(key) ? { required: true } : {}),
  );
  const where = CREDENTIAL_SETTINGS.map((key) =>
    property(key, settings.properties[key], key === 'region' ? { required: true } : {}),
  );
  return [authentication, ...keyFields, ...where];
}

const settings = schemaOf(manifest.settings.schema);
const parameters = parameterFields();
const payload = payloadFields();
const description = {
  $comment: `Generated by scripts/generate-properties.mjs from lambda-stream-task ${manifest.version} (manifest.json and schemas/). DO NOT EDIT: change the schema, then run \`npm run generate\` in packages/n8n-nodes-lambda-stream.`,
  definition: { id: manifest.id, version: manifest.version, description: manifest.description },
  nodeProperties: [...parameters.fields, ...settingFields(settings)],
  credentialProperties: credentialFields(settings),
  parameterBindings: parameters.bindings,
  payloadMember: payload.member,
  settingNames: settingFields(settings).map((field) => field.name),
};

const text = `${JSON.stringify(description, null, 2)}\n`;
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {}
  if (current !== text) {
    process.stderr.write(
      `${target} is out of date with lambda-stream-task's schemas: run \`npm run generate\` in packages/n8n-nodes-lambda-stream\n`,
    );
    process.exit(1);
  }
} else {
  writeFileSync(target, text);
  process.stdout.write(`wrote ${target}\n`);
}
