/**
 * The function's own name inside a FunctionName value of any form: a name, `name:qualifier`, a
 * partial ARN (`123456789012:function:name`, `us-west-2:123456789012:function:name`) or a full ARN
 * (`arn:aws:lambda:us-west-2:123456789012:function:name[:qualifier]`). The service limits that name
 * to 64 characters in every form; the whole value only to 256.
 *
 * The `x-plainNameMaxLength` keyword calls this from generated code (runtime-compiled and the
 * precompiled validators in `generated/`), so it must stay a plain named export of this file.
 *
 * @example
 * functionNamePart('my-fn:prod'); // 'my-fn'
 * functionNamePart('arn:aws:lambda:us-west-2:123456789012:function:my-fn:7'); // 'my-fn'
 * functionNamePart('123456789012:function:my-fn'); // 'my-fn'
 */
export function functionNamePart(value: string): string {
  const marker = value.indexOf('function:');
  let rest: string;
  if (marker >= 0) rest = value.slice(marker + 'function:'.length);
  else {
    // Region and account prefixes without `function:` (the pattern allows `123456789012:name`).
    const prefix =
      /^(?:arn:[^:]*:[^:]*:[^:]*:\d{12}:|(?:(?:eusc-)?[a-z]{2}(?:-[a-z]+)+-\d:)?(?:\d{12}:)?)/.exec(value);
    rest = value.slice(prefix?.[0].length ?? 0);
  }
  const colon = rest.indexOf(':');
  return colon < 0 ? rest : rest.slice(0, colon);
}
