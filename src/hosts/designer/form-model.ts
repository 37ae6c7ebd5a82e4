/**
 * What the page renders, from the definition alone: the API reference (name, description, operation,
 * endpoints) and a JSON Forms schema, UI schema and starting data for the task input, grouped by
 * location. Fields the signer computes and secrets are left out: credentials never reach the page.
 */
import type { LoadedManifest, ParameterLocation } from '../../index.js';

type Schema = { [key: string]: unknown };

/** One JSON Forms UI schema element. */
export interface UiElement {
  type: string;
  label?: string;
  scope?: string;
  elements?: UiElement[];
  options?: Record<string, unknown>;
}

/** The page's model of the definition. */
export interface FormModel {
  name: string;
  description: string;
  operation: {
    name: string;
    method: string;
    pathTemplate: string;
    endpoints: Array<{ partition: string; regionPattern: string; url: string }>;
  };
  /** The setting whose value picks the endpoint for a region, and the override setting. */
  regionSetting: string;
  /** Where calls go from this designer. */
  backend: string;
  schema: Schema;
  uischema: UiElement;
  data: Record<string, unknown>;
  /** The member of `body` that is the whole HTTP body (edited as JSON). */
  bodyMember: string;
  /** The setting that holds credentials (never sent by the page). */
  credentialsSetting: string;
}

const GROUPS: Array<{ key: ParameterLocation | 'settings'; label: string }> = [
  { key: 'path', label: 'Path' },
  { key: 'headers', label: 'Headers' },
  { key: 'query', label: 'Query' },
  { key: 'body', label: 'Body' },
  { key: 'settings', label: 'Settings' },
];

function isObject(value: unknown): value is Schema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Computed (signer-owned) or secret: never shown. */
function hidden(schema: Schema): boolean {
  return (
    schema.readOnly === true ||
    schema['x-computed'] === true ||
    schema.writeOnly === true ||
    schema['x-secret'] === true
  );
}

/** A schema without hidden members; an object that requires a hidden member is hidden itself. */
function visible(schema: Schema): Schema | undefined {
  if (hidden(schema)) return undefined;
  if (!isObject(schema.properties)) return schema;
  const properties: Schema = {};
  const dropped = new Set<string>();
  for (const [name, member] of Object.entries(schema.properties)) {
    const kept = isObject(member) ? visible(member) : undefined;
    if (kept === undefined) dropped.add(name);
    else properties[name] = kept;
  }
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  if (required.some((name) => dropped.has(name))) return undefined;
  const { $schema: _s, $id: _i, ...rest } = schema;
  return { ...rest, properties, ...(required.length > 0 ? { required } : {}) };
}

/** The schemas' defaults, as starting data (objects only where a member has a default). */
export function defaultsOf(schema: Schema): unknown {
  if (schema.default !== undefined) return schema.default;
  if (!isObject(schema.properties)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(schema.properties)) {
    const value = isObject(member) ? defaultsOf(member) : undefined;
    if (value !== undefined) out[name] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Controls for an object's members; a nested object is a group of its own (vanilla has no object control). */
function controls(scope: string, schema: Schema, json: string | undefined): UiElement[] {
  const properties = isObject(schema.properties) ? schema.properties : {};
  return Object.entries(properties).map(([name, member]): UiElement => {
    const title = isObject(member) && typeof member.title === 'string' ? member.title : name;
    const at = `${scope}/properties/${name}`;
    if (isObject(member) && isObject(member.properties)) {
      return { type: 'Group', label: title, elements: controls(at, member, undefined) };
    }
    return {
      type: 'Control',
      label: title,
      scope: at,
      ...(name === json ? { options: { json: true } } : {}),
    };
  });
}

/**
 * Build the page's model.
 * @example
 * const model = formModel(loadManifest(), 'the local emulator'); // model.schema.properties.path …
 */
export function formModel(manifest: LoadedManifest, backend: string): FormModel {
  const bodyMember = manifest.body.member;
  const sources: Record<string, Schema> = {
    path: manifest.parameters.path.schema as Schema,
    headers: manifest.parameters.headers.schema as Schema,
    query: manifest.parameters.query.schema as Schema,
    body: manifest.parameters.body.schema as Schema,
    settings: manifest.settings.schema as Schema,
  };
  const properties: Schema = {};
  const groups: UiElement[] = [];
  const data: Record<string, unknown> = {};
  for (const { key, label } of GROUPS) {
    const schema = visible(sources[key] ?? {});
    if (schema === undefined || !isObject(schema.properties) || Object.keys(schema.properties).length === 0)
      continue;
    const members = schema.properties as Schema;
    const body = members[bodyMember];
    // The body member is any JSON value: edited as text, parsed by the page before it is sent.
    if (key === 'body' && isObject(body)) members[bodyMember] = { ...body, type: 'string' };
    properties[key] = schema;
    groups.push({
      type: 'Group',
      label,
      elements: controls(`#/properties/${key}`, schema, key === 'body' ? bodyMember : undefined),
    });
    const defaults = defaultsOf(schema);
    if (defaults !== undefined) data[key] = defaults;
  }
  const { definition } = manifest;
  const { operation } = definition;
  return {
    name: definition.displayName,
    description: definition.description,
    operation: {
      name: operation.name,
      method: operation.method,
      pathTemplate: operation.pathTemplate,
      endpoints: operation.endpoint.partitions.map((p) => ({
        partition: p.id,
        regionPattern: p.regionPattern,
        url: p.templates.default,
      })),
    },
    regionSetting: manifest.plan.settingNames.region,
    backend,
    schema: { type: 'object', properties },
    uischema: { type: 'VerticalLayout', elements: groups },
    data,
    bodyMember,
    credentialsSetting: manifest.plan.settingNames.credentials,
  };
}
