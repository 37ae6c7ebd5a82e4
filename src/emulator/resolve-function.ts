/**
 * Which function and version an authenticated request runs: the operation must exist, the name
 * must be a valid name or ARN, the qualifier (in the name or the `Qualifier` query) must be valid
 * and agree, and the function and the version or alias it selects must exist. The functions
 * folder is read again only here, after authentication, for a name not seen yet.
 */
import type { FunctionEntry, FunctionRegistry } from './function-registry.js';
import { functionArn } from './lambda-context.js';
import { QUALIFIER_PATTERN } from './parse-function-name.js';
import { type Refusal, refuse } from './refusal.js';
import type { Operation, RequestRoute } from './route-request.js';

/** The function a request runs. */
export interface ResolvedFunction {
  operation: Operation;
  entry: FunctionEntry;
  /** The executed version (`$LATEST` or a version number). */
  version: string;
  /** The qualifier as the caller wrote it, if any. */
  qualifier: string | undefined;
}

const INVALID_NAME =
  "1 validation error detected: Value at 'functionName' failed to satisfy constraint: Member must satisfy the function name or ARN pattern";

/**
 * Resolve the function of a request.
 * @example
 * const target = await resolveFunction(route, registry, 'us-east-1', faults.headerError);
 */
export async function resolveFunction(
  route: RequestRoute,
  registry: FunctionRegistry,
  region: string,
  faultHeaderError: string | undefined,
): Promise<ResolvedFunction | Refusal> {
  const { operation, functionName } = route;
  if (operation === undefined) {
    return refuse(404, 'UnknownOperationException', `Unknown operation ${route.method} ${route.rawPath}`);
  }
  if (faultHeaderError !== undefined) return refuse(400, 'InvalidParameterValueException', faultHeaderError);
  if (!functionName) return refuse(400, 'InvalidParameterValueException', INVALID_NAME);
  const queryQualifier = route.query.get('Qualifier') ?? undefined;
  if (queryQualifier !== undefined && !QUALIFIER_PATTERN.test(queryQualifier)) {
    return refuse(
      400,
      'InvalidParameterValueException',
      `Invalid Qualifier: ${queryQualifier.slice(0, 128)}`,
    );
  }
  const named = functionName.qualifier;
  if (named !== undefined && queryQualifier !== undefined && named !== queryQualifier) {
    return refuse(
      400,
      'InvalidParameterValueException',
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  const qualifier = queryQualifier ?? named;
  const entry = await registry.find(functionName.name);
  const version = entry && registry.resolveQualifier(entry, qualifier);
  if (!entry || version === undefined) {
    return refuse(
      404,
      'ResourceNotFoundException',
      `Function not found: ${functionArn(region, functionName.name, qualifier)}`,
    );
  }
  return { operation, entry, version, qualifier };
}
