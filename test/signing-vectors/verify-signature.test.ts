import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvokeWithResponseStreamCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { encodeInvokeComplete } from '../../src/emulator/encode-invoke-complete.js';
import { encodePayloadChunk } from '../../src/emulator/encode-payload-chunk.js';
import type { RequestToVerify, VerifyOptions } from '../../src/sigv4-verifier/verify-signature.js';
import {
  buildCanonicalRequest,
  canonicalQuery,
  canonicalUri,
  sha256Hex,
  verifySignature,
} from '../../src/sigv4-verifier/verify-signature.js';

const KEY = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const EXAMPLE_TIME = new Date('2015-08-30T12:36:00Z');
const lookupSecret = (id: string) => (id === KEY ? SECRET : undefined);

/** The SDK's label encoding (`extendedEncodeURIComponent`, wire-format §1.3). */
const encodeLabel = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const invokePath = (name: string) =>
  `/2021-11-15/functions/${encodeLabel(name)}/response-streaming-invocations`;

interface SignInput {
  functionName: string;
  qualifier?: string;
  body?: string;
  applyChecksum?: boolean;
  sessionToken?: string;
  region?: string;
  host?: string;
  at?: Date;
}

/** Signs like the SDK does, with the real @smithy/signature-v4, and returns the request as a server sees it. */
async function signWithSmithy(input: SignInput): Promise<RequestToVerify> {
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: KEY,
      secretAccessKey: SECRET,
      ...(input.sessionToken === undefined ? {} : { sessionToken: input.sessionToken }),
    },
    region: input.region ?? 'us-east-1',
    service: 'lambda',
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: input.applyChecksum ?? true,
  });
  const body = input.body ?? '{"hello":"world"}';
  const path = invokePath(input.functionName);
  const query: Record<string, string> = input.qualifier === undefined ? {} : { Qualifier: input.qualifier };
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'https:',
      hostname: input.host ?? 'lambda.us-east-1.amazonaws.com',
      path,
      query,
      headers: {
        host: input.host ?? 'lambda.us-east-1.amazonaws.com',
        'content-type': 'application/octet-stream',
        'x-amz-log-type': 'Tail',
      },
      body,
    },
    { signingDate: input.at ?? EXAMPLE_TIME },
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  const rawQuery = input.qualifier === undefined ? '' : `?Qualifier=${encodeLabel(input.qualifier)}`;
  return { method: 'POST', rawUrl: `${path}${rawQuery}`, headers, body: new TextEncoder().encode(body) };
}

const options: VerifyOptions = { lookupSecret, now: EXAMPLE_TIME };
const errorTypeOf = (request: RequestToVerify, opts: VerifyOptions = options) => {
  const verdict = verifySignature(request, opts);
  return verdict.ok ? 'accepted' : verdict.errorType;
};

const FUNCTION_NAMES = [
  'my-function',
  'my_function.v2-1',
  'my-function:prod',
  'my-function:$LATEST',
  '123456789012:function:my-function',
  '123456789012:function:my-function:7',
  'us-west-2:123456789012:function:my-function',
  'arn:aws:lambda:us-west-2:123456789012:function:my-function',
  'arn:aws:lambda:us-east-1:123456789012:function:my-fn:$LATEST',
  'arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f:$LATEST.PUBLISHED',
];

describe('SigV4 verification from the specification', () => {
  it('reproduces the wire-format §1.4 worked example without x-amz-content-sha256', () => {
    const rawUrl =
      '/2021-11-15/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn/response-streaming-invocations?Qualifier=%24LATEST';
    const headers = {
      'content-type': 'application/octet-stream',
      host: 'lambda.us-east-1.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      'x-amz-log-type': 'Tail',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/lambda/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-log-type, Signature=f94296f83f71e280152d0fc4f1f97c985d3964c36b29625912e68e311e591189',
    };
    const body = new TextEncoder().encode('{"hello":"world"}');
    expect(
      buildCanonicalRequest({
        method: 'POST',
        rawUrl,
        headers,
        signedHeaders: ['content-type', 'host', 'x-amz-date', 'x-amz-log-type'],
        payloadHash: sha256Hex(body),
      }),
    ).toBe(
      [
        'POST',
        '/2021-11-15/functions/arn%253Aaws%253Alambda%253Aus-east-1%253A123456789012%253Afunction%253Amy-fn/response-streaming-invocations',
        'Qualifier=%24LATEST',
        'content-type:application/octet-stream',
        'host:lambda.us-east-1.amazonaws.com',
        'x-amz-date:20150830T123600Z',
        'x-amz-log-type:Tail',
        '',
        'content-type;host;x-amz-date;x-amz-log-type',
        '93a23971a914e5eacbf0a8d25154cda309c3c1c72fbb9914d47c60f3cb681588',
      ].join('\n'),
    );
    expect(verifySignature({ method: 'POST', rawUrl, headers, body }, options)).toEqual({
      ok: true,
      accessKeyId: KEY,
      region: 'us-east-1',
      service: 'lambda',
      signedHeaders: ['content-type', 'host', 'x-amz-date', 'x-amz-log-type'],
    });
  });

  it('reproduces the wire-format §1.4 worked example with x-amz-content-sha256', () => {
    const rawUrl =
      '/2021-11-15/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn/response-streaming-invocations?Qualifier=%24LATEST';
    const request = {
      method: 'POST',
      rawUrl,
      headers: {
        'content-type': 'application/octet-stream',
        host: 'lambda.us-east-1.amazonaws.com',
        'x-amz-content-sha256': '93a23971a914e5eacbf0a8d25154cda309c3c1c72fbb9914d47c60f3cb681588',
        'x-amz-date': '20150830T123600Z',
        'x-amz-log-type': 'Tail',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/lambda/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-log-type, Signature=c92a84ceb88b9a60d3f858da455cbfe5b10c826683345f104430fcd6863d8126',
      },
      body: new TextEncoder().encode('{"hello":"world"}'),
    };
    expect(errorTypeOf(request)).toBe('accepted');
  });

  it('double-encodes the path and re-encodes the query as the signer does (§1.3 table)', () => {
    expect(canonicalUri('/2021-11-15/functions/my-function%3Aprod/x')).toBe(
      '/2021-11-15/functions/my-function%253Aprod/x',
    );
    expect(canonicalUri('/a/./b/../c//d/')).toBe('/a/c/d/');
    expect(canonicalQuery('Qualifier=%24LATEST')).toBe('Qualifier=%24LATEST');
    expect(canonicalQuery('b=2&a=%7e&a=1&X-Amz-Signature=abc&c')).toBe('a=1&a=~&b=2&c=');
  });

  it.each(
    FUNCTION_NAMES.flatMap(
      (name) =>
        [
          [name, true],
          [name, false],
        ] as const,
    ),
  )(
    'accepts @smithy/signature-v4 signatures for %s (applyChecksum %s), with and without Qualifier=$LATEST',
    async (functionName, applyChecksum) => {
      expect(errorTypeOf(await signWithSmithy({ functionName, applyChecksum }))).toBe('accepted');
      expect(errorTypeOf(await signWithSmithy({ functionName, applyChecksum, qualifier: '$LATEST' }))).toBe(
        'accepted',
      );
    },
  );

  it('accepts a signed session token, another region, an empty body and a port in the host', async () => {
    const request = await signWithSmithy({
      functionName: 'f',
      qualifier: 'live',
      sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN//+==',
      region: 'eu-west-1',
      host: '127.0.0.1:43123',
      body: '',
    });
    expect(request.headers['x-amz-security-token']).toBe('FwoGZXIvYXdzEXAMPLETOKEN//+==');
    expect(verifySignature(request, options)).toMatchObject({
      ok: true,
      region: 'eu-west-1',
      service: 'lambda',
    });
    expect(errorTypeOf(request, { ...options, region: 'us-east-1' })).toBe('InvalidSignatureException');
  });

  it('verifies an absolute-form request target (as sent through a proxy) by its path and query', async () => {
    const request = await signWithSmithy({
      functionName: 'arn:aws:lambda:us-east-1:123456789012:function:f',
      qualifier: '$LATEST',
    });
    expect(
      errorTypeOf({ ...request, rawUrl: `http://lambda.us-east-1.amazonaws.com${request.rawUrl}` }),
    ).toBe('accepted');
  });

  it('refuses a request signed with the wrong secret', async () => {
    const request = await signWithSmithy({ functionName: 'f' });
    expect(errorTypeOf(request, { ...options, lookupSecret: () => 'not-the-secret' })).toBe(
      'InvalidSignatureException',
    );
  });

  it('refuses a tampered body, with and without x-amz-content-sha256', async () => {
    for (const applyChecksum of [true, false]) {
      const request = await signWithSmithy({ functionName: 'f', applyChecksum });
      expect(errorTypeOf({ ...request, body: new TextEncoder().encode('{"hello":"there"}') })).toBe(
        'InvalidSignatureException',
      );
    }
  });

  it('refuses a tampered signed header, a tampered path and a tampered query', async () => {
    const request = await signWithSmithy({ functionName: 'f', qualifier: '1' });
    const headers = request.headers as Record<string, string>;
    expect(errorTypeOf({ ...request, headers: { ...headers, 'x-amz-log-type': 'None' } })).toBe(
      'InvalidSignatureException',
    );
    expect(errorTypeOf({ ...request, rawUrl: request.rawUrl.replace('/f/', '/g/') })).toBe(
      'InvalidSignatureException',
    );
    expect(errorTypeOf({ ...request, rawUrl: request.rawUrl.replace('Qualifier=1', 'Qualifier=2') })).toBe(
      'InvalidSignatureException',
    );
    const { 'x-amz-log-type': _dropped, ...withoutSigned } = headers;
    expect(errorTypeOf({ ...request, headers: withoutSigned })).toBe('InvalidSignatureException');
  });

  it('refuses an expired or future date with the service message, and accepts inside the skew window', async () => {
    const request = await signWithSmithy({ functionName: 'f' });
    const late = verifySignature(request, {
      ...options,
      now: new Date(EXAMPLE_TIME.getTime() + 16 * 60_000),
    });
    expect(late).toEqual({
      ok: false,
      status: 403,
      errorType: 'InvalidSignatureException',
      message:
        'Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z (20150830T125200Z - 15 min.)',
    });
    const early = verifySignature(request, {
      ...options,
      now: new Date(EXAMPLE_TIME.getTime() - 16 * 60_000),
    });
    expect(early.ok ? '' : early.message).toMatch(
      /^Signature not yet current: 20150830T123600Z is still later than/,
    );
    expect(errorTypeOf(request, { ...options, now: new Date(EXAMPLE_TIME.getTime() + 14 * 60_000) })).toBe(
      'accepted',
    );
    expect(
      errorTypeOf(request, { ...options, now: new Date(EXAMPLE_TIME.getTime() + 60_000), maxSkewMs: 30_000 }),
    ).toBe('InvalidSignatureException');
  });

  it('refuses a missing Authorization with MissingAuthenticationTokenException', async () => {
    const request = await signWithSmithy({ functionName: 'f' });
    const { authorization: _a, ...headers } = request.headers as Record<string, string>;
    expect(errorTypeOf({ ...request, headers })).toBe('MissingAuthenticationTokenException');
  });

  it('refuses an unknown access key with UnrecognizedClientException and the service message', async () => {
    const request = await signWithSmithy({ functionName: 'f' });
    expect(verifySignature(request, { ...options, lookupSecret: () => undefined })).toEqual({
      ok: false,
      status: 403,
      errorType: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
  });

  it('refuses a wrong service, malformed Authorization headers and an unsigned host', async () => {
    const request = await signWithSmithy({ functionName: 'f' });
    expect(errorTypeOf(request, { ...options, service: 'execute-api' })).toBe('InvalidSignatureException');
    const headers = request.headers as Record<string, string>;
    const auth = headers.authorization!;
    const variants = [
      'AWS4-HMAC-SHA1 Credential=x',
      'AWS4-HMAC-SHA256 garbage',
      auth.replace(/Signature=[0-9a-f]+/, 'Signature=zz'),
      auth.replace('/aws4_request', '/aws5_request'),
      auth.replace(/Credential=[^/]+\/\d{8}/, `Credential=${KEY}/20150831`),
      auth.replace('SignedHeaders=', 'SignedHeaders=Host;'),
      `${auth}, Signature=${'0'.repeat(64)}`,
      auth.replace('host;', ''),
    ];
    for (const authorization of variants) {
      const verdict = verifySignature({ ...request, headers: { ...headers, authorization } }, options);
      expect(verdict.ok ? 'accepted' : verdict.errorType).toBe('InvalidSignatureException');
      // Refusals never echo the expected signature or the secret.
      expect(JSON.stringify(verdict)).not.toContain(SECRET);
    }
  });
});

describe('SigV4 verification of requests sent by @aws-sdk/client-lambda over real HTTP', () => {
  let server: Server;
  let endpoint: string;
  const seen: Array<{ url: string; verdict: ReturnType<typeof verifySignature> }> = [];

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        const verdict = verifySignature(
          {
            method: req.method ?? '',
            rawUrl: req.url ?? '',
            headers: req.headers,
            body: Buffer.concat(parts),
          },
          { lookupSecret: (id) => (id === 'test' ? 'test' : undefined), now: new Date() },
        );
        seen.push({ url: req.url ?? '', verdict });
        if (!verdict.ok) {
          res.writeHead(verdict.status, {
            'x-amzn-errortype': verdict.errorType,
            'content-type': 'application/json',
          });
          res.end(JSON.stringify({ message: verdict.message }));
          return;
        }
        res.writeHead(200, {
          'content-type': 'application/vnd.amazon.eventstream',
          'x-amz-executed-version': '$LATEST',
        });
        res.write(encodePayloadChunk(Buffer.from('Hello, ')));
        res.write(encodePayloadChunk(Buffer.from('world')));
        res.end(encodeInvokeComplete({ LogResult: Buffer.from('log line').toString('base64') }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it.each([
    ['my-function', undefined],
    ['my-function:prod', undefined],
    ['123456789012:function:my-function', '$LATEST'],
    ['arn:aws:lambda:us-east-1:123456789012:function:my-function', '$LATEST'],
    ['arn:aws:lambda:us-east-1:123456789012:function:my-function:7', undefined],
  ])(
    'the SDK request for %s (Qualifier %s) verifies, and the SDK decodes our encoded stream',
    async (name, qualifier) => {
      const client = new LambdaClient({
        region: 'eu-central-1',
        endpoint,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test', sessionToken: 'session-token-value' },
      });
      try {
        const response = await client.send(
          new InvokeWithResponseStreamCommand({
            FunctionName: name,
            ...(qualifier === undefined ? {} : { Qualifier: qualifier }),
            Payload: new TextEncoder().encode('{"a":1}'),
            LogType: 'Tail',
          }),
        );
        const text: string[] = [];
        let log = '';
        for await (const event of response.EventStream ?? []) {
          if (event.PayloadChunk?.Payload) text.push(Buffer.from(event.PayloadChunk.Payload).toString());
          if (event.InvokeComplete)
            log = Buffer.from(event.InvokeComplete.LogResult ?? '', 'base64').toString();
        }
        expect(text.join('')).toBe('Hello, world');
        expect(log).toBe('log line');
        expect(seen.at(-1)?.verdict).toMatchObject({ ok: true, region: 'eu-central-1', service: 'lambda' });
      } finally {
        client.destroy();
      }
    },
  );

  it('the SDK with a wrong secret gets 403 InvalidSignatureException from the verifying server', async () => {
    const client = new LambdaClient({
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' },
      maxAttempts: 1,
    });
    try {
      await expect(
        client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'f', Payload: new Uint8Array([1]) })),
      ).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } });
    } finally {
      client.destroy();
    }
  });
});
