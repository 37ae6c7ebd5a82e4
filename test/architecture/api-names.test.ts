/**
 * The definition drives the call: no name of the API (its path, event and field names, header
 * names, parameter names, signing name, environment variables) is written in src/ outside the places
 * a protocol owns it. What broke before: the chunk event type, 204, the error type header, message
 * keys, Retry-After, the success status and the region variables were read in code although the
 * manifest declared them, so a second operation could not run by data alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadManifest } from '../../src/definition/load-manifest.js';
import type { LoadedManifest } from '../../src/definition/loaded-manifest.js';
import { packagePath } from '../../src/paths.js';

const SRC = packagePath('src');

/**
 * Where a protocol owns the names: SigV4 and the AWS credential and config conventions (signing), the
 * local Lambda (emulator, and the SigV4 verifier it uses), and code generated from the definition.
 */
const ALLOWED = [/^signing\//, /^emulator\//, /^sigv4-verifier\//, /^generated\//, /\/generated\//];

function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [relative(SRC, full)] : [];
  });
}

function propertyNames(schema: { readonly [key: string]: unknown }): string[] {
  const props = schema.properties;
  return props !== null && typeof props === 'object' ? Object.keys(props) : [];
}

/** The names an operation's definition gives: what code must read from the plan, never spell. */
function apiNames(m: LoadedManifest): string[] {
  const { plan } = m;
  const events = plan.response.events;
  const headers = plan.response.headers;
  return [
    plan.pathTemplate,
    plan.signingName,
    ...plan.regionEnv,
    plan.profileEnv,
    ...plan.endpointEnv,
    ...plan.callerHeaders,
    ...propertyNames(m.parameters.path.schema),
    ...propertyNames(m.parameters.query.schema),
    plan.body.member,
    plan.errors.typeHeader,
    ...(plan.errors.retryAfterHeader === undefined ? [] : [plan.errors.retryAfterHeader]),
    // The message keys (`message`, `Message`) are common words; the renamed definition's test proves
    // they are read from the plan (its key is `reason`).
    // (The content-type header is HTTP's own: every server and client of the package spells it.)
    ...(headers.executedVersion === undefined ? [] : [headers.executedVersion]),
    ...headers.requestId,
    ...(headers.functionError === undefined ? [] : [headers.functionError]),
    ...(headers.logResult === undefined ? [] : [headers.logResult]),
    ...(events === undefined
      ? []
      : [
          events.chunkEventType,
          events.completeEventType,
          events.errorCodeField,
          events.errorDetailsField,
          events.logResultField,
        ]),
  ];
}

/** Code without its comments: names in documentation are fine, in string literals they are not. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** Each quoted string literal of the code that is an API name (header names in any case). */
function spelledNames(file: string, names: ReadonlySet<string>): string[] {
  const literals = [...code(readFileSync(join(SRC, file), 'utf8')).matchAll(/(['"`])((?:\\.|(?!\1).)*)\1/g)];
  return literals
    .map((m) => m[2]!)
    .filter((literal) => names.has(literal) || (literal.includes('-') && names.has(literal.toLowerCase())));
}

describe('names of the API', () => {
  const names = new Set(
    [loadManifest(), loadManifest(packagePath('definitions', 'invoke.manifest.json'))]
      .flatMap(apiNames)
      .filter((n) => n.toLowerCase() !== 'content-type')
      .flatMap((n) => (n.includes('-') ? [n, n.toLowerCase()] : [n])),
  );

  it('are read from the call plan, never spelled in src/ outside the places a protocol owns them', () => {
    const found = sourceFiles()
      .filter((file) => !ALLOWED.some((rule) => rule.test(file)))
      .flatMap((file) => spelledNames(file, names).map((name) => `${file}: '${name}'`));
    expect(found).toEqual([]);
  });

  it('include what the check must find (it can fail)', () => {
    for (const name of [
      'PayloadChunk',
      'InvokeComplete',
      'X-Amzn-ErrorType',
      'Retry-After',
      'lambda',
      'AWS_REGION',
      'FunctionName',
      'X-Amz-Function-Error',
    ])
      expect(names.has(name)).toBe(true);
  });
});
