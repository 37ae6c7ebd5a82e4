/**
 * The `context` object handlers receive, with the fields Lambda's Node runtime provides.
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
  logStreamName: string;
  /** The caller's `X-Amz-Client-Context`, base64-decoded and parsed. */
  clientContext: unknown;
  identity: undefined;
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
  deadline: number;
  clientContext: unknown;
  now: () => number;
}

/** Builds a handler context. */
export function createLambdaContext(facts: LambdaContextFacts): LambdaContext {
  const arn = functionArn(facts.region, facts.functionName, facts.qualifier);
  const day = new Date(facts.now()).toISOString().slice(0, 10).replaceAll('-', '/');
  return {
    awsRequestId: facts.requestId,
    functionName: facts.functionName,
    functionVersion: facts.version,
    invokedFunctionArn: arn,
    memoryLimitInMB: String(facts.memoryMb),
    logGroupName: `/aws/lambda/${facts.functionName}`,
    logStreamName: `${day}/[${facts.version}]${facts.requestId.replaceAll('-', '')}`,
    clientContext: facts.clientContext,
    identity: undefined,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, facts.deadline - facts.now()),
  };
}

/** The ARN of a function (and qualifier) in the emulator's account. */
export function functionArn(region: string, functionName: string, qualifier?: string): string {
  const base = `arn:aws:lambda:${region}:${EMULATOR_ACCOUNT_ID}:function:${functionName}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}
