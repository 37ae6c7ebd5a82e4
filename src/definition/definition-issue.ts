import type { ValidationIssue } from '../errors.js';

/**
 * An issue found in the definition itself (a packaging bug, not an input error), located by the
 * manifest field to fix.
 * @example
 * definitionIssue('operation.pathTemplate', 'label', 'operation.pathTemplate uses {X}, …')
 */
export function definitionIssue(path: string, keyword: string, message: string): ValidationIssue {
  return { location: 'manifest', path, keyword, message };
}
