/**
 * Base64 decoded size without decoding: 3 bytes per 4 characters, less the padding. The text must
 * already be well-formed base64 (a multiple of 4 characters).
 *
 * The `x-maxDecodedBytes` keyword calls this from generated code (runtime-compiled and the
 * precompiled validators in `generated/`), so it must stay a plain named export of this file.
 *
 * @example
 * base64DecodedBytes('aGk='); // 2
 */
export function base64DecodedBytes(text: string): number {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  return (text.length / 4) * 3 - padding;
}
