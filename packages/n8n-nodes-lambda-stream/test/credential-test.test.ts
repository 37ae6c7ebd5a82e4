/**
 * The credential test n8n runs from the credential dialog: a signed DryRun call, against the
 * emulator (which checks SigV4 signatures as the service does).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EmulatorHandle } from 'lambda-stream-task/emulator';
import { startEmulator } from 'lambda-stream-task/emulator';
import type { ICredentialDataDecryptedObject, ICredentialTestFunctions } from 'n8n-workflow';
import { LambdaStream } from '../src/nodes/LambdaStream/LambdaStream.node.js';

let emulator: EmulatorHandle;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

/** Runs the test the node declares for its credential, as n8n's credentials service calls it. */
async function testCredential(data: ICredentialDataDecryptedObject) {
  const node = new LambdaStream();
  const testedBy = node.description.credentials?.[0]?.testedBy;
  expect(typeof testedBy).toBe('string');
  const test = node.methods.credentialTest[testedBy as 'lambdaStreamAwsApiTest'];
  // The test uses nothing of n8n's test functions: it signs with the task's own signer.
  return test.call({} as ICredentialTestFunctions, {
    id: '1',
    name: 'aws',
    type: 'lambdaStreamAwsApi',
    data,
  });
}

const base = () => ({
  authentication: 'accessKey',
  accessKeyId: 'test',
  region: 'us-east-1',
  endpoint: emulator.url,
});

describe('credential test', () => {
  it('passes when the signature is accepted (the test function name need not exist)', async () => {
    await expect(testCredential({ ...base(), secretAccessKey: 'test' })).resolves.toMatchObject({
      status: 'OK',
    });
  });

  it('fails with the service’s reason for a wrong secret, without showing it', async () => {
    const result = await testCredential({ ...base(), secretAccessKey: 'not-the-secret-1234567890' });
    expect(result.status).toBe('Error');
    expect(result.message).toMatch(/403 InvalidSignatureException/);
    expect(result.message).not.toContain('not-the-secret-1234567890');
  });

  it('fails naming the field when the region is not a region', async () => {
    const result = await testCredential({ ...base(), secretAccessKey: 'test', region: 'mars' });
    expect(result).toEqual({
      status: 'Error',
      message: expect.stringMatching(/^Invalid parameter: Credential › Region: /),
    });
  });

  it('uses the default credential chain of the n8n machine when asked (here: its environment)', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    try {
      const result = await testCredential({
        authentication: 'defaultChain',
        region: 'us-east-1',
        endpoint: emulator.url,
      });
      expect(result).toMatchObject({ status: 'OK' });
    } finally {
      process.env = saved;
    }
  });
});
