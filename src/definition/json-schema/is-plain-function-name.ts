/**
 * Whether a FunctionName is a bare name (optionally `name:qualifier`) rather than a full or partial ARN.
 * ARNs start with `arn:`, an account id, or a region, or contain `function:`.
 *
 * The `x-plainNameMaxLength` keyword calls this from generated code (runtime-compiled and the
 * precompiled validators in `generated/`), so it must stay a plain named export of this file.
 *
 * @example
 * isPlainFunctionName('my-fn:prod'); // true
 * isPlainFunctionName('123456789012:function:my-fn'); // false
 */
export function isPlainFunctionName(value: string): boolean {
  return !/^(arn:|\d{12}:|(eusc-)?[a-z]{2}(-[a-z]+)+-\d:)/.test(value) && !value.includes('function:');
}
