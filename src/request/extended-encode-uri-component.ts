/**
 * RFC 3986 encoding of one URI component, as the AWS SDKs encode HTTP-label and query values:
 * `encodeURIComponent` plus the sub-delimiters it leaves alone (`! ' ( ) *`). An ARN's colons
 * become `%3A` and `$LATEST` becomes `%24LATEST`.
 * @example
 * extendedEncodeURIComponent('arn:aws:lambda:us-east-1:123456789012:function:f') // 'arn%3Aaws%3A…'
 */
export function extendedEncodeURIComponent(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
