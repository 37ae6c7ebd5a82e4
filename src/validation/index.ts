export { createAjv, isPlainFunctionName } from './create-ajv.js';
export { formatPath, toIssues } from './to-issues.js';
export type { ResolvedSettings, ResolvedTaskInput } from './validate-input.js';
export { assertValidInput, validateInput, withDefaults } from './validate-input.js';
