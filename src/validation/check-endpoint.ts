import type { CallPlan } from '../definition/call-plan.js';
import type { ValidationIssue } from '../errors.js';
import { isPlainObject } from './copy-input.js';
import { endpointProblem } from './parse-endpoint.js';

/**
 * The endpoint setting checked with the parser the call uses, so `validate` and the call agree
 * (the schema's `format: uri` accepts `http://127.0.0.1:99999`, which no request can use). Added only
 * when the schema found nothing wrong with the field, so one mistake is one issue.
 * @example
 * checkEndpoint(copy, manifest.plan, issues)
 */
export function checkEndpoint(copy: unknown, plan: CallPlan, issues: ValidationIssue[]): void {
  if (!isPlainObject(copy) || !isPlainObject(copy.settings)) return;
  const value = copy.settings[plan.settingNames.endpoint];
  if (typeof value !== 'string') return;
  const path = `settings.${plan.settingNames.endpoint}`;
  if (issues.some((i) => i.path === path)) return;
  const problem = endpointProblem(value);
  if (problem !== undefined) {
    issues.push({ location: 'settings', path, keyword: 'endpoint', message: `${path} ${problem}` });
  }
}
