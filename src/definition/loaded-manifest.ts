/**
 * The shape of a loaded definition: the manifest, its schemas and the call plan compiled from them.
 */
import type {
  AuthDefinition,
  BodyParameterDefinition,
  ErrorsDefinition,
  Manifest,
  OperationDefinition,
  ResponseDefinition,
} from '../generated/manifest.js';
import type { CallPlan } from './call-plan.js';

/** A JSON Schema document as read from disk. */
export type JsonSchemaObject = { readonly [key: string]: unknown };

/** One schema file of the definition. */
export interface LoadedSchema {
  /** Absolute file path. */
  readonly file: string;
  /** `file:` URL; the key under which the schema is registered, so relative `$ref`s resolve. */
  readonly uri: string;
  readonly schema: JsonSchemaObject;
}

/** Where a parameter goes on the wire; also its key in the task input. */
export type ParameterLocation = 'path' | 'headers' | 'query' | 'body';

/** The locations in the order a request is built. */
export const PARAMETER_LOCATIONS: readonly ParameterLocation[] = ['path', 'headers', 'query', 'body'];

/**
 * A checked definition: the manifest plus every schema it references, loaded and cross-checked.
 * Everything is frozen: one loaded manifest is shared by every call.
 */
export interface LoadedManifest {
  /** Absolute path of the manifest file. */
  readonly file: string;
  /** The manifest as written. */
  readonly definition: Manifest;
  readonly operation: OperationDefinition;
  readonly auth: AuthDefinition;
  /** The parameter schema of each location. */
  readonly parameters: { readonly [L in ParameterLocation]: LoadedSchema };
  /** The body member, its size limit and content type. */
  readonly body: BodyParameterDefinition;
  /** The whole task input's schema (`{ path, headers, query, body, settings }`). */
  readonly input: LoadedSchema;
  readonly settings: LoadedSchema;
  readonly response: ResponseDefinition;
  readonly errors: ErrorsDefinition;
  readonly outputs: {
    readonly default: 'aggregated' | 'chunked';
    readonly modeSetting: string;
    readonly aggregated: LoadedSchema;
    readonly chunked: LoadedSchema;
  };
  /** Every schema file reached (referenced by the manifest or through `$ref`), by `file:` URL. */
  readonly schemas: ReadonlyMap<string, JsonSchemaObject>;
  /** The definition compiled for the stages of a call. */
  readonly plan: CallPlan;
}
