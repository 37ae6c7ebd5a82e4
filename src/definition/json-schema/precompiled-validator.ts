import type { ErrorObject } from 'ajv';

/**
 * A validator as ajv compiles it, reduced to what callers use: precompiled (standalone) validators in
 * `generated/` and ajv's run-time `ValidateFunction` both fit. `errors` is set by the last call.
 */
export interface PrecompiledValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}
