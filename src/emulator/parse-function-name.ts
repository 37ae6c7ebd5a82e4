/**
 * The four spellings of `FunctionName` the service accepts (name, `name:qualifier`, partial ARN,
 * full ARN), reduced to a name and an optional qualifier taken from the name itself.
 */

/** A function reference after parsing. */
export interface ParsedFunctionName {
  name: string;
  /** The qualifier written into the name (`name:prod`, `…:function:name:7`), if any. */
  qualifier?: string;
  /** The region written into a full or `region:account:` ARN, if any. */
  region?: string;
  /** The account written into an ARN, if any. */
  accountId?: string;
}

// The model's pattern (wire-format §1.2), with capture groups for the parts we need.
const FUNCTION_NAME =
  /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:((?:eusc-)?[a-z]{2}(?:(?:-gov)|(?:-iso(?:[a-z]?)))?-[a-z]+-\d):(\d{12}):|(?:((?:eusc-)?[a-z]{2}(?:(?:-gov)|(?:-iso(?:[a-z]?)))?-[a-z]+-\d):)?(?:(\d{12}):)?)(?:function:)?([a-zA-Z0-9_.-]+)(?::(\$LATEST(?:\.PUBLISHED)?|[a-zA-Z0-9_-]+))?$/;

/** The `Qualifier` pattern of the model. */
export const QUALIFIER_PATTERN = /^(?:\$LATEST(?:\.PUBLISHED)?|[a-zA-Z0-9_$-]+)$/;

/**
 * Parse a decoded `FunctionName` path label; `undefined` when it matches none of the forms.
 * @example
 * parseFunctionName('arn:aws:lambda:us-east-1:123456789012:function:echo:prod')
 * // → { name: 'echo', qualifier: 'prod', region: 'us-east-1', accountId: '123456789012' }
 */
export function parseFunctionName(value: string): ParsedFunctionName | undefined {
  if (value.length === 0 || value.length > 256) return undefined;
  const match = FUNCTION_NAME.exec(value);
  if (!match) return undefined;
  const [, arnRegion, arnAccount, partialRegion, partialAccount, name, qualifier] = match;
  if (name === undefined || name.length > 64) return undefined;
  const out: ParsedFunctionName = { name };
  if (qualifier !== undefined) out.qualifier = qualifier;
  const region = arnRegion ?? partialRegion;
  if (region !== undefined) out.region = region;
  const accountId = arnAccount ?? partialAccount;
  if (accountId !== undefined) out.accountId = accountId;
  return out;
}
