export {
  canonicalHeaderNames,
  findModeledError,
  isComputedHeader,
  parameterLocation,
  parameterNames,
} from './accessors.js';
export type { JsonSchemaObject, LoadedManifest, LoadedSchema, ParameterLocation } from './load-manifest.js';
export { loadManifest, PARAMETER_LOCATIONS } from './load-manifest.js';
