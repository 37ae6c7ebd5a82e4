export { base64DecodedBytes } from './base64-decoded-bytes.js';
export { createAjv } from './create-ajv.js';
export { isPlainFunctionName } from './is-plain-function-name.js';
export { formatPath, toIssues } from './to-issues.js';
export type { ResolvedSettings, ResolvedTaskInput } from './validate-input.js';
export { assertValidInput, validateInput, withDefaults } from './validate-input.js';
