/**
 * The credential type: how to authenticate (an access key kept in n8n, or the default AWS
 * credential chain of the n8n machine) and where to call (region, endpoint override). The fields
 * are generated from the task's settings schema. It is tested by the node's `credentialTest`,
 * which signs a DryRun invocation (see test-credentials.ts): SigV4 is not one of n8n's
 * declarative credential tests. (File and class names follow n8n's loader: `<Class>.credentials.js`.)
 */
import type { ICredentialType, INodeProperties } from 'n8n-workflow';
import { credentialProperties } from '../node-description.js';

export class LambdaStreamAwsApi implements ICredentialType {
  name = 'lambdaStreamAwsApi';
  displayName = 'AWS (Lambda Stream)';
  documentationUrl = 'https://docs.aws.amazon.com/lambda/latest/api/API_InvokeWithResponseStream.html';
  icon = 'file:lambda-stream.svg' as const;
  properties: INodeProperties[] = credentialProperties;
}
