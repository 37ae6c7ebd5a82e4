import { describe, expect, it } from '@jest/globals';
import { loadManifest } from '../../src/definition/load-manifest.js';
import { curlCommand } from '../../src/report/curl-command.js';
import { hintFor } from '../../src/report/hint-for.js';
import { preview } from '../../src/report/preview.js';

const enc = (s: string) => new TextEncoder().encode(s);

describe('preview', () => {
  it('shows text up to the cap and says how big the whole was', () => {
    expect(preview(enc('hello'), 3)).toEqual({ bytes: 5, truncated: true, text: 'hel' });
    expect(preview(enc('hi'), 10, 2)).toEqual({ bytes: 2, truncated: false, text: 'hi' });
  });

  it('drops a multi-byte character cut by the cap instead of switching to hex', () => {
    expect(preview(enc('aé'), 2)).toEqual({ bytes: 3, truncated: true, text: 'a' });
  });

  it('shows binary as hex', () => {
    expect(preview(Uint8Array.from([0, 1, 255]), 10)).toEqual({ bytes: 3, truncated: false, hex: '0001ff' });
  });
});

describe('hintFor', () => {
  it('names the likely fix for the common failures', () => {
    expect(
      hintFor({ code: 'SERVICE_ERROR', statusCode: 404, awsErrorType: 'ResourceNotFoundException' }),
    ).toMatch(/function name.*Qualifier.*region/);
    expect(hintFor({ code: 'THROTTLED', statusCode: 429 })).toMatch(/concurrency/);
    expect(
      hintFor({ code: 'SERVICE_ERROR', statusCode: 403, awsErrorType: 'AccessDeniedException' }),
    ).toMatch(/lambda:InvokeFunction/);
    expect(
      hintFor({ code: 'SERVICE_ERROR', statusCode: 413, awsErrorType: 'RequestTooLargeException' }),
    ).toMatch(/6 MB/);
    expect(hintFor({ code: 'CLOCK_SKEW' })).toMatch(/clock/);
    expect(
      hintFor({ code: 'SERVICE_ERROR', statusCode: 403, awsErrorType: 'InvalidSignatureException' }),
    ).toMatch(/secret access key/);
    expect(hintFor({ code: 'CONNECTION_FAILED' })).toMatch(/endpoint URL/);
    expect(hintFor({ code: 'MISSING_REGION' })).toMatch(/region/);
    expect(hintFor({ code: 'FUNCTION_ERROR' })).toMatch(/log tail/);
  });
});

describe('curlCommand', () => {
  const headers = {
    authorization:
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/lambda/aws4_request, SignedHeaders=host, Signature=abcdef0123456789abcdef0123456789',
    'x-amz-security-token': 'SESSIONTOKENVALUE',
    'x-amz-date': '20150830T123600Z',
    'content-type': 'application/octet-stream',
    'X-Amz-Log-Type': 'Tail',
  };

  it('signs with the request region and reads every credential from the environment', () => {
    const { command, reliable } = curlCommand(loadManifest().plan, {
      url: 'http://h/2021-11-15/functions/echo/response-streaming-invocations',
      headers,
      body: enc(`{"it's":1}`),
    });
    expect(reliable).toBe(true);
    expect(command).toContain("--aws-sigv4 'aws:amz:eu-west-1:lambda'");
    expect(command).toContain('--user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"');
    expect(command).toContain('-H "x-amz-security-token: $AWS_SESSION_TOKEN"');
    expect(command).toContain("-H 'X-Amz-Log-Type: Tail'");
    expect(command).toContain(`--data-binary '{"it'\\''s":1}'`);
    expect(command).not.toMatch(/AKIDEXAMPLE|SESSIONTOKENVALUE|abcdef0123|x-amz-date/);
  });

  it('warns that curl cannot sign ARN or qualified names the way Lambda checks them', () => {
    const { reliable, note } = curlCommand(loadManifest().plan, {
      url: 'http://h/2021-11-15/functions/echo%3Aprod/response-streaming-invocations',
      headers,
      body: enc('{}'),
    });
    expect(reliable).toBe(false);
    expect(note).toMatch(/Not reliable.*second percent-encoding/);
  });
});
