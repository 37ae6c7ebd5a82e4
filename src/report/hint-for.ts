/** What is known about a failure when choosing its hint. */
export interface FailureFacts {
  code: string;
  message?: string;
  statusCode?: number;
  awsErrorType?: string;
  functionErrorCode?: string;
}

/**
 * A one-line hint on the likely fix for a failure, from its code, AWS error type and status.
 * @example
 * hintFor({ code: 'SERVICE_ERROR', statusCode: 404, awsErrorType: 'ResourceNotFoundException' })
 */
export function hintFor(facts: FailureFacts): string {
  const type = facts.awsErrorType ?? '';
  const message = (facts.message ?? '').toLowerCase();
  switch (facts.code) {
    case 'FUNCTION_ERROR':
      return 'The function ran and threw: read the log tail and ErrorDetails, then fix the function or the payload it was given.';
    case 'THROTTLED':
      return "Throttled: retry later, lower the call rate, or raise the function's reserved or account concurrency.";
    case 'CLOCK_SKEW':
      return "The request time is too far from the service's clock: sync this machine's clock (NTP).";
    case 'PAYLOAD_TOO_LARGE':
      return 'The payload is over the 6 MB request limit: send a reference (e.g. an S3 key) instead of the data.';
    case 'PAYLOAD_FILE':
      return 'The file:// payload could not be read: check the path and its permissions.';
    case 'MISSING_REGION':
      return 'No region: set settings.region (--region), AWS_REGION, or a region in the profile.';
    case 'INVALID_ENDPOINT':
      return 'The endpoint URL is not valid: use an absolute http(s) URL, e.g. http://127.0.0.1:9000.';
    case 'CREDENTIALS_UNAVAILABLE':
      return 'No credentials: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile (--profile), or settings.credentials.';
    case 'INVALID_INPUT':
    case 'COMPUTED_HEADER':
      return 'Fix the fields listed in the issues; nothing was sent.';
    case 'CONNECTION_FAILED':
      return 'Could not connect: check the endpoint URL (--endpoint-url), the region, DNS, proxy settings and that the server is up.';
    case 'CONNECT_TIMEOUT':
      return 'Connecting timed out: check network access to the endpoint (firewall, VPC endpoint, proxy) or raise timeouts.connectMs.';
    case 'FIRST_BYTE_TIMEOUT':
      return "The service took too long to start the response: check the function's cold start and duration, or raise timeouts.firstByteMs.";
    case 'IDLE_TIMEOUT':
      return 'The stream went quiet too long: the function may be stuck or slow between writes; raise timeouts.idleMs if that is expected.';
    case 'TOTAL_TIMEOUT':
      return 'The whole call took longer than timeouts.totalMs: raise it (the function may run up to 15 minutes) or make the function faster.';
    case 'ABORTED':
      return 'The call was cancelled by the caller.';
    case 'OUTPUT_TOO_LARGE':
      return 'The output exceeded limits.maxAggregatedBytes: use chunked output, a spill directory, or raise the limit.';
    case 'STREAM_CHECKSUM':
    case 'STREAM_TRUNCATED':
    case 'STREAM_MALFORMED':
    case 'STREAM_INCOMPLETE':
    case 'STREAM_INTERRUPTED':
      return 'The response stream broke off or was corrupted: retry; if it persists, check proxies that may buffer or alter the stream.';
    case 'STREAM_EXCEPTION':
      return "The service reported an error inside the stream: retry, and check the function's logs for a crash or timeout.";
    default:
      break;
  }
  if (type === 'ResourceNotFoundException' || facts.statusCode === 404) {
    return "Unknown function or qualifier here: check the function name, the version/alias (Qualifier) and that the region is the function's region.";
  }
  if (type === 'TooManyRequestsException' || type === 'EC2ThrottledException' || facts.statusCode === 429) {
    return "Throttled: retry later, lower the call rate, or raise the function's reserved or account concurrency.";
  }
  if (
    type === 'RequestTooLargeException' ||
    type === 'SerializedRequestEntityTooLargeException' ||
    facts.statusCode === 413
  ) {
    return 'The payload is over the 6 MB request limit: send a reference (e.g. an S3 key) instead of the data.';
  }
  if (
    message.includes('signature expired') ||
    message.includes('request has expired') ||
    type === 'RequestExpired'
  ) {
    return "The request time is too far from the service's clock: sync this machine's clock (NTP).";
  }
  if (type === 'InvalidSignatureException' || type === 'SignatureDoesNotMatch') {
    return "The signature did not match: check the secret access key, and that the region is the endpoint's region.";
  }
  if (
    type === 'UnrecognizedClientException' ||
    type === 'InvalidClientTokenId' ||
    type === 'ExpiredTokenException'
  ) {
    return 'The credentials are not valid here: check the access key id, refresh the session token, and use the right partition/region.';
  }
  if (type === 'AccessDeniedException' || type === 'AccessDenied' || facts.statusCode === 403) {
    return 'Missing permission: the caller needs lambda:InvokeFunction on this function (and qualifier); check its IAM policy.';
  }
  if (type.startsWith('KMS'))
    return "The function's KMS key is unusable: check the key and the function role's kms:Decrypt permission.";
  if (type === 'InvalidParameterValueException' || type === 'InvalidRequestContentException') {
    return 'The service rejected a parameter: check the function name form, the qualifier and the payload JSON.';
  }
  if (type === 'ResourceConflictException' || type === 'ResourceNotReadyException') {
    return 'The function is being updated or is not ready: wait until its state is Active and retry.';
  }
  if (facts.statusCode !== undefined && facts.statusCode >= 500) {
    return 'A service-side error: retry with backoff; if it persists, check the AWS Health Dashboard.';
  }
  return 'See the message above; check the function name, region, credentials and endpoint.';
}
