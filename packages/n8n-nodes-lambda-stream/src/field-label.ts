/**
 * The n8n field a task-input path belongs to, so a validation issue names what the user sees:
 * `path.FunctionName` → "Function name", `settings.timeouts.connectMs` → "Timeouts › Connect timeout",
 * `settings.region` → "Credential › Region".
 */
import type { INodeProperties } from 'n8n-workflow';
import {
  credentialProperties,
  nodeProperties,
  parameterBindings,
  payloadMember,
} from './node-description.js';

function labels(properties: readonly INodeProperties[], prefix: string, into: Map<string, string>): void {
  for (const property of properties) {
    into.set(`${prefix}${property.name}`, property.displayName);
    const options = (property.options ?? []) as Array<Partial<INodeProperties>>;
    for (const option of options) {
      if (option.name !== undefined && option.displayName !== undefined) {
        into.set(
          `${prefix}${property.name}.${option.name}`,
          `${property.displayName} › ${option.displayName}`,
        );
      }
    }
  }
}

const byPath = new Map<string, string>();
labels(nodeProperties, 'settings.', byPath);
labels(credentialProperties, 'credential.', byPath);
for (const { name, location, key } of parameterBindings) {
  byPath.set(`${location}.${key}`, byPath.get(`settings.${name}`) ?? name);
}
byPath.set(`body.${payloadMember}`, 'Payload');

/**
 * @example
 * fieldLabel('settings.timeouts.connectMs') // 'Timeouts › Connect timeout'
 */
export function fieldLabel(path: string): string {
  const direct = byPath.get(path);
  if (direct !== undefined) return direct;
  const credential = byPath.get(path.replace(/^settings\./, 'credential.'));
  if (credential !== undefined) return `Credential › ${credential}`;
  return path;
}
