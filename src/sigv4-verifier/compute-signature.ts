/** The SigV4 string to sign and the HMAC chain that signs it (wire-format §1.4). */
import { createHmac } from 'node:crypto';
import { sha256Hex } from './canonical-request.js';

const ALGORITHM = 'AWS4-HMAC-SHA256';

/**
 * The SigV4 string to sign.
 * @example
 * buildStringToSign('20150830T123600Z', '20150830/us-east-1/lambda/aws4_request', canonicalRequest)
 */
export function buildStringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}

/** The hex signature of a string to sign with a secret and scope (HMAC chain of the specification). */
export function computeSignature(
  secretAccessKey: string,
  scope: { date: string; region: string; service: string },
  stringToSign: string,
): string {
  const hmac = (key: string | Buffer, data: string): Buffer =>
    createHmac('sha256', key).update(data).digest();
  const kDate = hmac(`AWS4${secretAccessKey}`, scope.date);
  const kRegion = hmac(kDate, scope.region);
  const kService = hmac(kRegion, scope.service);
  const kSigning = hmac(kService, 'aws4_request');
  return createHmac('sha256', kSigning).update(stringToSign).digest('hex');
}
