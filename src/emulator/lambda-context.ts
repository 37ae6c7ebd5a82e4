/**
 * The `context` object handlers receive, with the fields Lambda's Node runtime provides (its
 * `InvokeContext.js`: the environment's function facts plus the invoke's headers).
 */

/** The invocation context a handler receives. */
export interface LambdaContext {
  awsRequestId: string;
  functionName: string;
  /** The executed version: `$LATEST` or a published version number. */
  functionVersion: string;
  /** `arn:aws:lambda:REGION:000000000000:function:NAME[:QUALIFIER]`, as the caller named it. */
  invokedFunctionArn: string;
  /** A string, as in Lambda's Node runtime. */
  memoryLimitInMB: string;
  logGroupName: string;
  /** The instance's log stream: one per instance, as in Lambda. */
  logStreamName: string;
  /** The caller's `X-Amz-Client-Context`, base64-decoded and parsed. */
  clientContext: unknown;
  /** The Cognito identity (never sent to the emulator: always undefined). */
  identity: unknown;
  /** The caller's `X-Amz-Tenant-Id`, if any. */
  tenantId: string | undefined;
  callbackWaitsForEmptyEventLoop: boolean;
  /** Milliseconds until the function's timeout ends the invocation. */
  getRemainingTimeInMillis(): number;
}

/** The emulator's account id in every ARN it produces (the convention of local AWS emulators). */
export const EMULATOR_ACCOUNT_ID = '000000000000';

export interface LambdaContextFacts {
  requestId: string;
  functionName: string;
  version: string;
  /** The qualifier the caller used (version or alias), if any. */
  qualifier: string | undefined;
  region: string;
  memoryMb: number;
  logStreamName: string;
  /** Epoch milliseconds at which the invocation times out. */
  deadline: number;
  clientContext: unknown;
  tenantId: string | undefined;
  now: () => number;
}

/**
 * Builds a handler context.
 * @example
 * createLambdaContext({ requestId, functionName: 'echo', version: '$LATEST', qualifier: undefined,
 *   region: 'us-east-1', memoryMb: 128, logStreamName, deadline: Date.now() + 3000,
 *   clientContext: undefined, tenantId: undefined, now: Date.now })
 */
export function createLambdaContext(facts: LambdaContextFacts): LambdaContext {
  return {
    awsRequestId: facts.requestId,
    functionName: facts.functionName,
    functionVersion: facts.version,
    invokedFunctionArn: functionArn(facts.region, facts.functionName, facts.qualifier),
    memoryLimitInMB: String(facts.memoryMb),
    logGroupName: logGroupName(facts.functionName),
    logStreamName: facts.logStreamName,
    clientContext: facts.clientContext,
    identity: undefined,
    tenantId: facts.tenantId,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, facts.deadline - facts.now()),
  };
}

/** The ARN of a function (and qualifier) in the emulator's account. */
export function functionArn(region: string, functionName: string, qualifier?: string): string {
  const base = `arn:aws:lambda:${region}:${EMULATOR_ACCOUNT_ID}:function:${functionName}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}

/** `/aws/lambda/NAME`. */
export function logGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}
