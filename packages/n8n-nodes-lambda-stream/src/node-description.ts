/**
 * The node's and credential's properties, generated from lambda-stream-task's schemas by
 * `scripts/generate-properties.mjs` (committed, drift-checked). This module only gives the
 * generated JSON its n8n types.
 */
import type { INodeProperties } from 'n8n-workflow';
import generated from './generated/node-description.json' with { type: 'json' };

/** Where an n8n field goes in the task input: `input[location][key]`. */
export interface ParameterBinding {
  name: string;
  location: string;
  key: string;
}

interface NodeDescription {
  definition: { id: string; version: string; description: string };
  nodeProperties: INodeProperties[];
  credentialProperties: INodeProperties[];
  parameterBindings: ParameterBinding[];
  payloadMember: string;
  settingNames: string[];
}

// JSON imports are typed by their literal contents (`string` where n8n wants its unions); the
// generator writes exactly n8n's property shapes, and n8n's loader checks them when it loads the node.
const description = generated as unknown as NodeDescription;

export const definition = description.definition;
export const nodeProperties: INodeProperties[] = description.nodeProperties;
export const credentialProperties: INodeProperties[] = description.credentialProperties;
export const parameterBindings: readonly ParameterBinding[] = description.parameterBindings;
export const payloadMember: string = description.payloadMember;
export const settingNames: readonly string[] = description.settingNames;
