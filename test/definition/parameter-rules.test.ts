import { describe, expect, it } from '@jest/globals';
import { InputError, type ValidationIssue } from '../../src/errors.js';
import { assertValidInput, validateInput, withDefaults } from '../../src/validation/validate-input.js';

const ARN_PREFIX = 'arn:aws:lambda:us-west-2:123456789012:function:';

function input(extra: Record<string, unknown> = {}, functionName = 'my-function'): Record<string, unknown> {
  return { path: { FunctionName: functionName }, ...extra };
}

/** The issues about one field, as `keyword: message` for readable failures. */
function issuesAt(value: unknown, path: string): ValidationIssue[] {
  return validateInput(value).filter((i) => i.path === path);
}

function thrown(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error: unknown) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('path.FunctionName', () => {
  it.each([
    ['a plain name', 'my-function'],
    ['a 64-character plain name', 'f'.repeat(64)],
    ['a 1-character name', 'f'],
    ['name:qualifier', 'my-function:prod'],
    ['name:$LATEST', 'my-function:$LATEST'],
    ['a partial ARN', '123456789012:function:my-function'],
    ['a full ARN', `${ARN_PREFIX}my-function`],
    ['a full ARN with $LATEST', `${ARN_PREFIX}my-function:$LATEST`],
    ['a full ARN with a version', `${ARN_PREFIX}my-function:7`],
    ['a GovCloud ARN', 'arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f'],
    ['a China ARN', 'arn:aws-cn:lambda:cn-north-1:123456789012:function:f'],
    [
      'an ARN with a 64-character name and a 128-character alias',
      `${ARN_PREFIX}${'f'.repeat(64)}:${'a'.repeat(128)}`,
    ],
  ])('accepts %s', (_label, name) => {
    expect(validateInput(input({}, name))).toEqual([]);
  });

  it('rejects a 65-character plain name with the 64-character rule, not the ARN limit', () => {
    const issues = issuesAt(input({}, 'f'.repeat(65)), 'path.FunctionName');
    expect(issues).toHaveLength(1);
    expect(issues[0]?.keyword).toBe('plainNameMaxLength');
    expect(issues[0]?.message).toMatch(
      /^path\.FunctionName must be at most 64 characters long in its function name \(the name has 65\)/,
    );
    expect(issues[0]?.location).toBe('path');
  });

  it('applies the 64-character rule to the name part of name:qualifier', () => {
    expect(issuesAt(input({}, `${'f'.repeat(64)}:prod`), 'path.FunctionName')).toEqual([]);
    expect(issuesAt(input({}, `${'f'.repeat(65)}:prod`), 'path.FunctionName').map((i) => i.keyword)).toEqual([
      'plainNameMaxLength',
    ]);
  });

  // What broke (issue 11, defect 4): an ARN naming a 200-character function (247 in all) passed
  // validation and only the service refused it.
  it.each([
    ['a full ARN', `${ARN_PREFIX}${'f'.repeat(200)}`],
    ['a full ARN with a qualifier', `${ARN_PREFIX}${'f'.repeat(65)}:prod`],
    ['a partial ARN', `123456789012:function:${'f'.repeat(65)}`],
    ['a partial ARN with a region', `us-west-2:123456789012:function:${'f'.repeat(65)}`],
  ])('applies the 64-character rule to the name part of %s', (_label, name) => {
    const issues = issuesAt(input({}, name), 'path.FunctionName');
    expect(issues.map((i) => i.keyword)).toEqual(['plainNameMaxLength']);
    expect(issues[0]?.message).toMatch(
      /must be at most 64 characters long in its function name \(the name has (200|65)\)/,
    );
    const atLimit = name.replace(/f{65,}/, 'f'.repeat(64));
    expect(issuesAt(input({}, atLimit), 'path.FunctionName')).toEqual([]);
  });

  it('rejects a 257-character ARN with the 256-character limit', () => {
    const name = `${ARN_PREFIX}${'f'.repeat(64)}:${'a'.repeat(257 - ARN_PREFIX.length - 65)}`;
    expect(name).toHaveLength(257);
    const issues = issuesAt(input({}, name), 'path.FunctionName');
    expect(issues.map((i) => i.keyword)).toEqual(['maxLength']);
    expect(issues[0]?.message).toBe('path.FunctionName must be at most 256 characters long');
  });

  it.each([
    ['an empty name', '', 'minLength'],
    ['a name with a space', 'my function', 'pattern'],
    ['another service ARN', 'arn:aws:s3:::my-bucket', 'pattern'],
    ['a bad account id', 'arn:aws:lambda:us-west-2:1234:function:f', 'pattern'],
    ['a qualifier with a dot', 'my-function:v1.2', 'pattern'],
  ])('rejects %s', (_label, name, keyword) => {
    expect(issuesAt(input({}, name), 'path.FunctionName').map((i) => i.keyword)).toContain(keyword);
  });

  it('says what a valid name looks like when the pattern fails', () => {
    const [issue] = issuesAt(input({}, 'my function'), 'path.FunctionName');
    expect(issue?.message).toContain('path.FunctionName must be a function name');
    expect(issue?.message).toContain('full ARN');
  });

  it('requires FunctionName and path', () => {
    expect(validateInput({ path: {} })).toEqual([
      {
        location: 'path',
        path: 'path.FunctionName',
        keyword: 'required',
        message: 'path.FunctionName is required',
      },
    ]);
    expect(validateInput({})).toEqual([
      { location: 'path', path: 'path', keyword: 'required', message: 'path is required' },
    ]);
  });

  it('rejects a non-string name', () => {
    expect(issuesAt(input({}, 42 as unknown as string), 'path.FunctionName')[0]?.message).toBe(
      'path.FunctionName must be a string',
    );
  });
});

describe('query.Qualifier', () => {
  it.each(['$LATEST', '$LATEST.PUBLISHED', '1', '42', 'prod', 'blue_green-2', 'q'.repeat(128)])(
    'accepts %s',
    (q) => {
      expect(validateInput(input({ query: { Qualifier: q } }))).toEqual([]);
    },
  );

  it('rejects an empty qualifier', () => {
    expect(issuesAt(input({ query: { Qualifier: '' } }), 'query.Qualifier').map((i) => i.message)).toContain(
      'query.Qualifier must not be empty',
    );
  });

  it('rejects a 129-character qualifier', () => {
    expect(issuesAt(input({ query: { Qualifier: 'q'.repeat(129) } }), 'query.Qualifier')).toEqual([
      {
        location: 'query',
        path: 'query.Qualifier',
        keyword: 'maxLength',
        message: 'query.Qualifier must be at most 128 characters long',
      },
    ]);
  });

  it.each(['prod!', 'v1.0', 'a b'])('rejects %s by pattern', (q) => {
    expect(issuesAt(input({ query: { Qualifier: q } }), 'query.Qualifier').map((i) => i.keyword)).toEqual([
      'pattern',
    ]);
  });

  it('rejects an unknown query parameter', () => {
    expect(issuesAt(input({ query: { Version: '1' } }), 'query.Version')[0]?.message).toBe(
      'query.Version is not a query parameter this operation accepts',
    );
  });
});

describe('headers', () => {
  it.each(['Tail', 'None'])('accepts X-Amz-Log-Type %s', (v) => {
    expect(validateInput(input({ headers: { 'X-Amz-Log-Type': v } }))).toEqual([]);
  });

  it('rejects another X-Amz-Log-Type with the allowed values in plain words', () => {
    expect(validateInput(input({ headers: { 'X-Amz-Log-Type': 'tail' } }))).toEqual([
      {
        location: 'headers',
        path: 'headers.X-Amz-Log-Type',
        keyword: 'enum',
        message: 'headers.X-Amz-Log-Type must be one of Tail, None',
      },
    ]);
  });

  it.each(['RequestResponse', 'DryRun'])('accepts X-Amz-Invocation-Type %s', (v) => {
    expect(validateInput(input({ headers: { 'X-Amz-Invocation-Type': v } }))).toEqual([]);
  });

  it('rejects Event, which only the buffered Invoke supports', () => {
    expect(validateInput(input({ headers: { 'X-Amz-Invocation-Type': 'Event' } }))[0]?.message).toBe(
      'headers.X-Amz-Invocation-Type must be one of RequestResponse, DryRun',
    );
  });

  describe('X-Amz-Client-Context', () => {
    const ofBytes = (n: number) => Buffer.alloc(n, 7).toString('base64');

    // What broke (issue 11, defect 3): validation allowed 3,583 decoded bytes (4,780 characters) while
    // the service and the emulator count 3,583 characters of base64.
    it.each([0, 1, 2, 3, 2684, 2685])('accepts base64 of %i bytes', (n) => {
      expect(validateInput(input({ headers: { 'X-Amz-Client-Context': ofBytes(n) } }))).toEqual([]);
    });

    it('counts characters: 3,580 (padded base64 of 2,685 bytes) pass, 3,584 are refused with the limit', () => {
      expect(ofBytes(2685).length).toBe(3580);
      const issues = validateInput(input({ headers: { 'X-Amz-Client-Context': ofBytes(2688) } }));
      expect(ofBytes(2688).length).toBe(3584);
      expect(issues).toEqual([
        {
          location: 'headers',
          path: 'headers.X-Amz-Client-Context',
          keyword: 'maxLength',
          message: 'headers.X-Amz-Client-Context must be at most 3583 characters long',
        },
      ]);
    });

    it('rejects much larger contexts too', () => {
      const keywords = validateInput(input({ headers: { 'X-Amz-Client-Context': ofBytes(10_000) } })).map(
        (i) => i.keyword,
      );
      expect(keywords).toContain('maxLength');
    });

    it.each([
      ['text that is not base64', 'not base64!'],
      ['base64 without its padding', 'YWJj' + 'YQ'],
      ['padding in the middle', 'YQ==YWJj'],
    ])('rejects %s', (_label, value) => {
      const [issue] = validateInput(input({ headers: { 'X-Amz-Client-Context': value } }));
      expect(issue?.keyword).toBe('pattern');
      expect(issue?.message).toMatch(/^headers\.X-Amz-Client-Context must be base64 text/);
    });
  });

  describe('X-Amz-Tenant-Id', () => {
    it.each(['tenant-1', 'a b@c.d/e=f+g:h_i', 't'.repeat(256)])('accepts %s', (v) => {
      expect(validateInput(input({ headers: { 'X-Amz-Tenant-Id': v } }))).toEqual([]);
    });
    it.each([
      ['', 'minLength'],
      ['t'.repeat(257), 'maxLength'],
      ['tenant#1', 'pattern'],
    ])('rejects %j', (v, keyword) => {
      expect(validateInput(input({ headers: { 'X-Amz-Tenant-Id': v } })).map((i) => i.keyword)).toContain(
        keyword,
      );
    });
  });

  it('defaults Content-Type to application/json and keeps one that is set', () => {
    expect(withDefaults(input()).headers['Content-Type']).toBe('application/json');
    expect(withDefaults(input({ headers: { 'Content-Type': 'text/plain' } })).headers['Content-Type']).toBe(
      'text/plain',
    );
    expect(validateInput(input({ headers: { 'Content-Type': '' } }))[0]?.message).toBe(
      'headers.Content-Type must not be empty',
    );
  });

  it('matches header names case-insensitively and hands on the schema spelling', () => {
    const value = input({ headers: { 'x-amz-log-type': 'Tail', 'CONTENT-TYPE': 'text/plain' } });
    expect(validateInput(value)).toEqual([]);
    const resolved = withDefaults(value);
    expect(resolved.headers).toEqual({
      'X-Amz-Log-Type': 'Tail',
      'Content-Type': 'text/plain',
      'X-Amz-Invocation-Type': 'RequestResponse',
    });
    // The rule applies under any casing, and the issue names the canonical header.
    expect(validateInput(input({ headers: { 'x-amz-log-type': 'tail' } }))[0]?.path).toBe(
      'headers.X-Amz-Log-Type',
    );
  });

  it('rejects the same header given twice under different casings', () => {
    expect(validateInput(input({ headers: { 'content-type': 'a/b', 'Content-Type': 'c/d' } }))).toEqual([
      {
        location: 'headers',
        path: 'headers.Content-Type',
        keyword: 'duplicate',
        message: 'headers.Content-Type is set more than once (header names are case-insensitive)',
      },
    ]);
  });

  it('rejects a header the operation does not define', () => {
    expect(validateInput(input({ headers: { 'X-Custom': '1' } }))[0]?.message).toBe(
      'headers.X-Custom is not a header this operation accepts',
    );
  });
});

describe('body.Payload', () => {
  const MAX = 6_291_456;

  it.each([
    ['an object', { hello: 'world' }],
    ['an array', [1, 2, 3]],
    ['a number', 42],
    ['null', null],
    ['a string', 'plain text'],
    ['a file reference', 'file://event.json'],
    ['exactly 6 MB of text', 'x'.repeat(MAX)],
  ])('accepts %s', (_label, payload) => {
    expect(validateInput(input({ body: { Payload: payload } }))).toEqual([]);
  });

  it('accepts no body at all', () => {
    expect(validateInput(input({ body: {} }))).toEqual([]);
  });

  it('rejects text one byte over 6 MB with PAYLOAD_TOO_LARGE, before anything is sent', () => {
    const value = input({ body: { Payload: 'x'.repeat(MAX + 1) } });
    expect(validateInput(value)).toEqual([
      {
        location: 'body',
        path: 'body.Payload',
        keyword: 'maxBytes',
        message:
          'body.Payload is 6,291,457 bytes once serialised; the service accepts at most 6,291,456 bytes (6 MB)',
      },
    ]);
    const error = thrown(() => assertValidInput(value));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.issues).toHaveLength(1);
  });

  it('measures the serialised JSON, and UTF-8 bytes rather than characters', () => {
    // Two quotes make the JSON two bytes longer than the text.
    expect(validateInput(input({ body: { Payload: { t: 'x'.repeat(MAX - 8) } } }))).toEqual([]);
    expect(validateInput(input({ body: { Payload: { t: 'x'.repeat(MAX - 7) } } }))[0]?.keyword).toBe(
      'maxBytes',
    );
    // 'é' is two bytes in UTF-8.
    const half = 'é'.repeat(MAX / 2);
    expect(validateInput(input({ body: { Payload: half } }))).toEqual([]);
    expect(validateInput(input({ body: { Payload: `${half}é` } }))[0]?.keyword).toBe('maxBytes');
  });

  it('leaves the size of a file:// payload to the request builder', () => {
    expect(validateInput(input({ body: { Payload: `file://${'d/'.repeat(10)}big.bin` } }))).toEqual([]);
  });

  it('rejects a payload that cannot be serialised as JSON', () => {
    const [issue] = validateInput(input({ body: { Payload: { n: 10n } } }));
    expect(issue?.path).toBe('body.Payload');
    expect(issue?.keyword).toBe('type');
  });

  it('rejects an unknown body member', () => {
    expect(validateInput(input({ body: { Body: 'x' } }))[0]?.path).toBe('body.Body');
  });
});

describe('settings', () => {
  it('fills every default the executor relies on', () => {
    // useFipsEndpoint / useDualstackEndpoint have no default: unset, the environment and profile decide.
    expect(withDefaults(input()).settings).toEqual({
      outputMode: 'aggregated',
      outputEncoding: 'utf8',
      framing: 'chunk',
      timeouts: { connectMs: 10_000, firstByteMs: 60_000, idleMs: 300_000, totalMs: 960_000 },
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 20_000 },
      limits: { maxAggregatedBytes: 20 * 1024 * 1024, maxLineBytes: 1024 * 1024 },
    });
  });

  it('keeps what is set and fills the rest of a group', () => {
    const s = withDefaults(input({ settings: { outputMode: 'chunked', timeouts: { idleMs: 5 } } })).settings;
    expect(s.outputMode).toBe('chunked');
    expect(s.timeouts).toEqual({ connectMs: 10_000, firstByteMs: 60_000, idleMs: 5, totalMs: 960_000 });
  });

  it.each([
    ['outputMode', { outputMode: 'stream' }, 'settings.outputMode must be one of aggregated, chunked'],
    [
      'outputEncoding',
      { outputEncoding: 'hex' },
      'settings.outputEncoding must be one of utf8, base64, bytes',
    ],
    ['framing', { framing: 'word' }, 'settings.framing must be one of chunk, line'],
    [
      'region',
      { region: 'Mars' },
      'settings.region must be an AWS region code such as us-east-1 or eusc-de-east-1',
    ],
    ['endpoint', { endpoint: 'not a url' }, 'settings.endpoint must be an absolute URL'],
    ['timeouts.idleMs', { timeouts: { idleMs: 0 } }, 'settings.timeouts.idleMs must be at least 1'],
    ['timeouts.totalMs', { timeouts: { totalMs: 1.5 } }, 'settings.timeouts.totalMs must be an integer'],
    ['retry.maxAttempts', { retry: { maxAttempts: 11 } }, 'settings.retry.maxAttempts must be at most 10'],
    ['limits', { limits: { maxLineBytes: 0 } }, 'settings.limits.maxLineBytes must be at least 1'],
    ['useFipsEndpoint', { useFipsEndpoint: 'yes' }, 'settings.useFipsEndpoint must be true or false'],
    [
      'credentials',
      { credentials: { accessKeyId: 'AKID' } },
      'settings.credentials.secretAccessKey is required',
    ],
    ['an unknown setting', { retries: 3 }, 'settings.retries is not a known field'],
  ])('rejects a bad %s', (_label, settings, message) => {
    expect(validateInput(input({ settings })).map((i) => i.message)).toContain(message);
  });

  it('accepts a full set of valid settings', () => {
    const settings = {
      region: 'eu-central-1',
      endpoint: 'http://127.0.0.1:9000',
      profile: 'dev',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test', sessionToken: 'token' },
      outputMode: 'chunked',
      outputEncoding: 'base64',
      framing: 'line',
      timeouts: { connectMs: 1, firstByteMs: 2, idleMs: 3, totalMs: 4 },
      retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
      limits: { maxAggregatedBytes: 1, maxLineBytes: 1 },
      spillDirectory: '/tmp',
    };
    expect(validateInput(input({ settings }))).toEqual([]);
  });

  it('never echoes a setting value in a message (it may be a secret)', () => {
    const messages = validateInput(
      input({ settings: { credentials: { accessKeyId: 'A', secretAccessKey: 7 } } }),
    )
      .map((i) => i.message)
      .join('\n');
    expect(messages).toContain('settings.credentials.secretAccessKey must be a string');
    expect(messages).not.toContain('7');
  });
});

describe('the whole input', () => {
  it('collects every issue instead of stopping at the first', () => {
    const issues = validateInput({
      path: { FunctionName: '' },
      headers: { 'X-Amz-Log-Type': 'x', 'X-Amz-Date': '20200101T000000Z' },
      query: { Qualifier: 'q'.repeat(129) },
      settings: { outputMode: 'x' },
      extra: true,
    });
    expect(new Set(issues.map((i) => i.location))).toEqual(
      new Set(['path', 'headers', 'query', 'settings', 'extra']),
    );
    expect(issues.length).toBeGreaterThanOrEqual(6);
    const error = thrown(() =>
      assertValidInput({ path: { FunctionName: '' }, settings: { outputMode: 'x' } }),
    );
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('path.FunctionName must not be empty');
    expect(error.message).toContain('settings.outputMode must be one of aggregated, chunked');
  });

  it('rejects input that is not an object', () => {
    for (const value of [null, 'x', 3, []]) {
      expect(validateInput(value)[0]?.message).toBe('the task input must be an object');
    }
  });

  it('never modifies the caller\u2019s input, including the payload', () => {
    const payload = { nested: { list: [1, 2] } };
    const value = input({ headers: { 'x-amz-log-type': 'Tail' }, body: { Payload: payload }, settings: {} });
    const before = structuredClone(value);
    const resolved = withDefaults(value);
    expect(value).toEqual(before);
    expect(resolved).not.toBe(value);
    expect(resolved.body.Payload).toEqual(payload);
  });

  it('narrows the type after assertValidInput', () => {
    const value: unknown = JSON.parse('{"path":{"FunctionName":"f"}}');
    assertValidInput(value);
    expect(value.path.FunctionName).toBe('f');
  });
});

describe('prototype-pollution keys', () => {
  const cases: [string, string][] = [
    ['path', '{"path":{"FunctionName":"f","__proto__":{"polluted":1}}}'],
    ['headers', '{"path":{"FunctionName":"f"},"headers":{"__proto__":{"polluted":1}}}'],
    ['query', '{"path":{"FunctionName":"f"},"query":{"__proto__":{"polluted":1}}}'],
    ['settings', '{"path":{"FunctionName":"f"},"settings":{"__proto__":{"polluted":1}}}'],
    [
      'settings.timeouts',
      '{"path":{"FunctionName":"f"},"settings":{"timeouts":{"__proto__":{"polluted":1}}}}',
    ],
    ['body', '{"path":{"FunctionName":"f"},"body":{"__proto__":{"polluted":1}}}'],
    ['the input', '{"path":{"FunctionName":"f"},"__proto__":{"polluted":1}}'],
  ];

  it.each(cases)('rejects __proto__ in %s without polluting any prototype', (_where, json) => {
    const issues = validateInput(JSON.parse(json));
    expect(issues.some((i) => i.path.endsWith('__proto__') && i.keyword === 'additionalProperties')).toBe(
      true,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(() => withDefaults(JSON.parse(json))).toThrow(InputError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each(['path', 'headers', 'query', 'settings'])(
    'rejects constructor and prototype keys in %s',
    (where) => {
      const value: Record<string, unknown> = { path: { FunctionName: 'f' } };
      value[where] = { ...(where === 'path' ? { FunctionName: 'f' } : {}), constructor: 'x', prototype: 'y' };
      const paths = validateInput(value).map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining([`${where}.constructor`, `${where}.prototype`]));
    },
  );
});
