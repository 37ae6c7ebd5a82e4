/**
 * The credential's values as the task wants them: connection settings (region, endpoint, FIPS,
 * dual-stack, profile) and the call context's credentials. With an access key the task is given an
 * empty environment, so nothing about the call comes from the n8n machine's variables (n8n's rule
 * for community nodes); only the default-chain option reads the machine's AWS configuration, which
 * is what a user who picks it asks for.
 */

import type { ExecuteContext } from 'lambda-stream-task';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

/** Settings and context of one call. */
export interface Connection {
  settings: IDataObject;
  context: ExecuteContext;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

/**
 * @example
 * const { settings, context } = connectionFromCredentials(await this.getCredentials('lambdaStreamAwsApi'));
 */
export function connectionFromCredentials(
  data: ICredentialDataDecryptedObject,
  signal?: AbortSignal,
): Connection {
  const settings: IDataObject = {};
  const region = text(data.region);
  const endpoint = text(data.endpoint);
  if (region !== undefined) settings.region = region;
  if (endpoint !== undefined) settings.endpoint = endpoint;
  if (data.useFipsEndpoint === true) settings.useFipsEndpoint = true;
  if (data.useDualstackEndpoint === true) settings.useDualstackEndpoint = true;
  const context: ExecuteContext = { signal };
  if (data.authentication === 'defaultChain') {
    const profile = text(data.profile);
    if (profile !== undefined) settings.profile = profile;
    return { settings, context };
  }
  const sessionToken = text(data.sessionToken);
  context.credentials = {
    accessKeyId: text(data.accessKeyId) ?? '',
    secretAccessKey: typeof data.secretAccessKey === 'string' ? data.secretAccessKey : '',
    ...(sessionToken === undefined ? {} : { sessionToken }),
  };
  context.env = {};
  return { settings, context };
}
