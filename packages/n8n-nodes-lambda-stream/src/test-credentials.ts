/**
 * The credential test: one signed `DryRun` invocation of a function name that need not exist.
 * DryRun runs nothing; the service checks the signature before it looks the function up, so "not
 * found" (or "access denied" for that name) means the keys, token and region were accepted, while a
 * bad key, secret, token or clock comes back as a signature or client error.
 */

import { assertValidInput, invoke, isTaskError } from 'lambda-stream-task';
import type {
  ICredentialsDecrypted,
  ICredentialTestFunctions,
  INodeCredentialTestResult,
} from 'n8n-workflow';
import { connectionFromCredentials } from './connection-from-credentials.js';
import { failureFromError } from './item-failure.js';
import { parameterBindings } from './node-description.js';

/** The function name the test asks about; its existence does not matter. */
export const CREDENTIAL_TEST_FUNCTION = 'n8n-lambda-stream-credential-test';

/** Answers that prove the signature was accepted. */
const ACCEPTED = new Set(['ResourceNotFoundException', 'AccessDeniedException']);

function binding(name: string): { location: string; key: string } {
  const found = parameterBindings.find((b) => b.name === name);
  if (found === undefined) throw new Error(`The definition has no ${name} parameter`);
  return found;
}

/** The test's task input: DryRun, one attempt, a short deadline. */
function testInput(settings: Record<string, unknown>): unknown {
  const functionName = binding('functionName');
  const invocationType = binding('invocationType');
  return {
    [functionName.location]: { [functionName.key]: CREDENTIAL_TEST_FUNCTION },
    [invocationType.location]: { [invocationType.key]: 'DryRun' },
    settings: { ...settings, retry: { maxAttempts: 1 }, timeouts: { totalMs: 20_000 } },
  };
}

/**
 * n8n calls it from the credential dialog ("Retry"/"Save") through the node's `methods.credentialTest`.
 * @example
 * await lambdaStreamAwsApiTest.call(this, { id: '1', name: 'aws', type: 'lambdaStreamAwsApi', data })
 */
export async function lambdaStreamAwsApiTest(
  this: ICredentialTestFunctions,
  credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
  try {
    const { settings, context } = connectionFromCredentials(credential.data ?? {});
    const input = testInput(settings);
    assertValidInput(input);
    await invoke(input, context);
    return { status: 'OK', message: 'The signed DryRun call was accepted' };
  } catch (error: unknown) {
    const type = isTaskError(error) ? (error as { awsErrorType?: unknown }).awsErrorType : undefined;
    if (typeof type === 'string' && ACCEPTED.has(type)) {
      return {
        status: 'OK',
        message: `The signature was accepted (the service answered ${type} for a test name)`,
      };
    }
    return { status: 'Error', message: failureFromError(error).message };
  }
}
