import type { ModeledErrorDefinition } from '../generated/manifest.js';
import { type LoadedManifest, PARAMETER_LOCATIONS, type ParameterLocation } from './load-manifest.js';

function propertyNames(schema: { readonly [key: string]: unknown }): string[] {
  const props = schema.properties;
  return props !== null && typeof props === 'object' ? Object.keys(props) : [];
}

/**
 * The parameter names of one location, as sent on the wire (header names, query keys, path labels,
 * the body member).
 * @example
 * parameterNames(loadManifest(), 'query'); // ['Qualifier']
 */
export function parameterNames(manifest: LoadedManifest, location: ParameterLocation): string[] {
  return propertyNames(manifest.parameters[location].schema);
}

/**
 * Where a parameter goes on the wire, or `undefined` when the definition has no such parameter.
 * Header names match case-insensitively.
 * @example
 * parameterLocation(loadManifest(), 'x-amz-log-type'); // 'headers'
 */
export function parameterLocation(manifest: LoadedManifest, name: string): ParameterLocation | undefined {
  for (const location of PARAMETER_LOCATIONS) {
    const names = parameterNames(manifest, location);
    const found =
      location === 'headers'
        ? names.some((n) => n.toLowerCase() === name.toLowerCase())
        : names.includes(name);
    if (found) return location;
  }
  return undefined;
}

const headerIndexes = new WeakMap<LoadedManifest, ReadonlyMap<string, string>>();

/**
 * Lower-cased header name → the schema's spelling. HTTP header names are case-insensitive, so the
 * input may write `x-amz-log-type`; validation and the request builder use the schema's spelling.
 * @example
 * canonicalHeaderNames(loadManifest()).get('content-type'); // 'Content-Type'
 */
export function canonicalHeaderNames(manifest: LoadedManifest): ReadonlyMap<string, string> {
  let index = headerIndexes.get(manifest);
  if (!index) {
    index = new Map(parameterNames(manifest, 'headers').map((name) => [name.toLowerCase(), name]));
    headerIndexes.set(manifest, index);
  }
  return index;
}

/**
 * The headers the signer computes; an input must not set them.
 * @example
 * isComputedHeader(loadManifest(), 'x-amz-date'); // true
 */
export function isComputedHeader(manifest: LoadedManifest, name: string): boolean {
  const lower = name.toLowerCase();
  return manifest.auth.computedHeaders.some((h) => h.toLowerCase() === lower);
}

const errorIndexes = new WeakMap<LoadedManifest, ReadonlyMap<string, ModeledErrorDefinition>>();

/**
 * The modeled error of that name (as in `X-Amzn-ErrorType`, suffix already removed), with its HTTP
 * status and retry class; `undefined` for an error the definition does not model.
 * @example
 * findModeledError(loadManifest(), 'TooManyRequestsException')?.retry; // 'throttling'
 */
export function findModeledError(manifest: LoadedManifest, name: string): ModeledErrorDefinition | undefined {
  let index = errorIndexes.get(manifest);
  if (!index) {
    index = new Map(manifest.errors.modeled.map((e) => [e.name, e]));
    errorIndexes.set(manifest, index);
  }
  return index.get(name);
}
