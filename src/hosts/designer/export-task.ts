/**
 * Export: the configured task as the JSON a workflow definition embeds, in three forms — this
 * package's task input, the embedded runner's task definition, and the generic HTTP task that
 * HTTP-task platforms store, with what such a task cannot do for this function.
 */
import type { LoadedManifest } from '../../index.js';
import { withDefaults } from '../../index.js';
import { defaultsOf } from './form-model.js';

type Json = { [key: string]: unknown };

/** The three exported forms and the note on the generic one. */
export interface TaskExport {
  taskInput: Json;
  workflowTask: Json;
  httpTask: Json;
  note: string;
}

/** The page's own view of the call (what the emulator or the environment decides). */
export interface ExportContext {
  /** The endpoint the designer's calls go to, when it is not the partition's (the emulator). */
  endpoint?: string;
  /** The region when the settings do not name one. */
  region: string;
  /** How long the last Test request took, when one ran. */
  lastTotalMs?: number;
}

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Said with an export that keeps `bytes`: the form offers it (the definition does), and Test request
 * runs it (it asks for its own encoding), but only hosts that call the library in-process take it.
 */
const BYTES_NOTE =
  "settings.outputEncoding 'bytes' gives Uint8Array data: for hosts that call the library in-process (runWorkflow, Node-RED, a chunked BullMQ job); the CLI, the Temporal activity, n8n and other JSON outputs refuse it (use utf8 or base64 there).";

/** `value` without the members equal to the schema's defaults, so the export says only what was chosen. */
function withoutDefaults(value: unknown, defaults: unknown): unknown {
  if (!isObject(value)) return JSON.stringify(value) === JSON.stringify(defaults) ? undefined : value;
  const out: Json = {};
  for (const [name, member] of Object.entries(value)) {
    const kept = withoutDefaults(member, isObject(defaults) ? defaults[name] : undefined);
    if (kept !== undefined) out[name] = kept;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function endpointFor(manifest: LoadedManifest, region: string): string {
  const { partitions, defaultPartition } = manifest.definition.operation.endpoint;
  const partition =
    partitions.find((p) => new RegExp(p.regionPattern).test(region)) ??
    partitions.find((p) => p.id === defaultPartition);
  return (partition?.templates.default ?? '').replace('{region}', region);
}

/** The generic HTTP task: placeholders for the values a workflow passes in, the chosen ones as its input. */
function httpTask(manifest: LoadedManifest, input: Json, base: string, readTimeoutMs: number): Json {
  const { operation } = manifest.definition;
  const path = isObject(input.path) ? input.path : {};
  const query = isObject(input.query) ? input.query : {};
  const body = isObject(input.body) ? input.body : {};
  const url = operation.pathTemplate.replace(
    /\{([^}]+)\}/g,
    (_, name: string) => `\${workflow.input.${name}}`,
  );
  const search = Object.keys(query)
    .map((name) => `${encodeURIComponent(name)}=\${workflow.input.${name}}`)
    .join('&');
  const settings = withDefaults(input, manifest).settings;
  const { retry, timeouts } = settings;
  return {
    name: `invoke_${String(path[Object.keys(path)[0] ?? ''] ?? 'function').replace(/[^A-Za-z0-9_]/g, '_')}`,
    type: 'HTTP',
    inputParameters: {
      httpRequest: {
        url: `${base}${url}${search ? `?${search}` : ''}`,
        method: operation.method,
        headers: isObject(input.headers) ? input.headers : {},
        body: `\${workflow.input.${manifest.body.member}}`,
        connectionTimeOut: timeouts.connectMs,
        readTimeOut: readTimeoutMs,
        retry: { maxAttempts: retry.maxAttempts, backoff: 'EXPONENTIAL', baseDelayMs: retry.baseDelayMs },
        credentials: { ref: `aws-sigv4:${manifest.definition.auth.signingName}` },
      },
    },
    workflowInput: { ...path, ...query, [manifest.body.member]: body[manifest.body.member] ?? null },
  };
}

/**
 * Export a task input (already valid) in the three forms.
 * @example
 * exportTask(loadManifest(), { path: { FunctionName: 'tokens' } }, { region: 'us-east-1' }).httpTask
 */
export function exportTask(manifest: LoadedManifest, input: Json, context: ExportContext): TaskExport {
  const settingsSchema = manifest.settings.schema as Json;
  const defaults: Json = { settings: defaultsOf(settingsSchema) };
  for (const [location, loaded] of Object.entries(manifest.parameters)) {
    defaults[location] = defaultsOf(loaded.schema as Json);
  }
  const taskInput = (withoutDefaults(input, defaults) ?? {}) as Json;
  const resolved = withDefaults(input, manifest);
  const region = resolved.settings.region ?? context.region;
  const base = resolved.settings.endpoint ?? context.endpoint ?? endpointFor(manifest, region);
  const totalMs = resolved.settings.timeouts.totalMs;
  const note = [
    'A generic HTTP task cannot sign the request with SigV4 (it needs the platform to sign it from the credentials reference, or a signing proxy),',
    'and cannot decode the event stream: the body arrives as binary event-stream frames only when the function has finished.',
    `So its read timeout must cover the whole run: ${totalMs} ms here (settings.timeouts.totalMs; a function runs for at most 15 minutes)`,
    context.lastTotalMs === undefined
      ? '.'
      : `; the last Test request took ${Math.round(context.lastTotalMs)} ms.`,
  ].join(' ');
  return {
    taskInput,
    workflowTask: { type: 'lambda-stream', inputParameters: taskInput, end: true },
    httpTask: httpTask(manifest, input, base, totalMs),
    note: [
      note.replace(' .', '.').replace(' ;', ';'),
      resolved.settings.outputEncoding === 'bytes' ? BYTES_NOTE : '',
    ]
      .join(' ')
      .trim(),
  };
}
