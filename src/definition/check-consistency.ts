import type { ValidationIssue } from '../errors.js';
import type { Manifest, ModeledErrorDefinition } from '../generated/manifest.js';
import { definitionIssue } from './definition-issue.js';
import type { JsonSchemaObject } from './loaded-manifest.js';

function propertiesOf(schema: JsonSchemaObject | undefined): Record<string, Record<string, unknown>> {
  const props = schema?.properties;
  return props !== null && typeof props === 'object'
    ? (props as Record<string, Record<string, unknown>>)
    : {};
}

/** Cross-field rules the meta-schema cannot state: every name the manifest uses must exist where it points. */
export function checkConsistency(
  m: Manifest,
  schemaOf: (field: string) => JsonSchemaObject | undefined,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const pathProps = propertiesOf(schemaOf('parameters.path.schema'));
  const headerProps = propertiesOf(schemaOf('parameters.headers.schema'));
  const bodyProps = propertiesOf(schemaOf('parameters.body.schema'));
  const settingsProps = propertiesOf(schemaOf('settings.schema'));
  const inputProps = propertiesOf(schemaOf('input.schema'));

  const labels = [...m.operation.pathTemplate.matchAll(/\{([^}]*)\}/g)].map((match) => match[1] ?? '');
  for (const label of labels) {
    if (!Object.hasOwn(pathProps, label)) {
      issues.push(
        definitionIssue(
          'operation.pathTemplate',
          'label',
          `operation.pathTemplate uses {${label}}, which is not a property of the path parameter schema`,
        ),
      );
    }
  }
  const pathRequired = schemaOf('parameters.path.schema')?.required;
  for (const name of Object.keys(pathProps)) {
    if (!labels.includes(name)) {
      issues.push(
        definitionIssue(
          'operation.pathTemplate',
          'label',
          `operation.pathTemplate has no {${name}} for the path parameter ${name}`,
        ),
      );
    }
  }
  if (Array.isArray(pathRequired) && labels.some((l) => !pathRequired.includes(l))) {
    issues.push(
      definitionIssue(
        'parameters.path.schema',
        'required',
        'parameters.path.schema must require every label of the path template',
      ),
    );
  }

  if (!Object.hasOwn(bodyProps, m.parameters.body.member)) {
    issues.push(
      definitionIssue(
        'parameters.body.member',
        'member',
        `parameters.body.member is ${m.parameters.body.member}, which is not a property of the body schema`,
      ),
    );
  }
  const contentType = m.parameters.body.contentTypeHeader;
  if (!Object.hasOwn(headerProps, contentType)) {
    issues.push(
      definitionIssue(
        'parameters.body.contentTypeHeader',
        'header',
        `parameters.body.contentTypeHeader is ${contentType}, which is not a property of the header schema`,
      ),
    );
  }

  m.auth.computedHeaders.forEach((name, index) => {
    if (headerProps[name]?.['x-computed'] !== true) {
      issues.push(
        definitionIssue(
          `auth.computedHeaders[${index}]`,
          'computed',
          `auth.computedHeaders[${index}] is ${name}, which the header schema does not list with "x-computed": true`,
        ),
      );
    }
  });
  for (const [name, prop] of Object.entries(headerProps)) {
    if (prop['x-computed'] === true && !m.auth.computedHeaders.includes(name)) {
      issues.push(
        definitionIssue(
          'auth.computedHeaders',
          'computed',
          `auth.computedHeaders must list ${name}, which the header schema marks computed`,
        ),
      );
    }
  }

  const settingRefs: [string, string][] = [
    ['auth.region.setting', m.auth.region.setting],
    ['auth.credentials.setting', m.auth.credentials.setting],
    ['auth.credentials.profileSetting', m.auth.credentials.profileSetting],
    ['operation.endpoint.override.setting', m.operation.endpoint.override.setting],
    ['operation.endpoint.fipsSetting', m.operation.endpoint.fipsSetting],
    ['operation.endpoint.dualstackSetting', m.operation.endpoint.dualstackSetting],
    ['outputs.modeSetting', m.outputs.modeSetting],
  ];
  for (const [field, name] of settingRefs) {
    if (!Object.hasOwn(settingsProps, name)) {
      issues.push(
        definitionIssue(
          field,
          'setting',
          `${field} is ${name}, which is not a property of the settings schema`,
        ),
      );
    }
  }

  for (const key of ['path', 'headers', 'query', 'body', 'settings']) {
    if (!Object.hasOwn(inputProps, key)) {
      issues.push(definitionIssue('input.schema', 'property', `input.schema must have a ${key} property`));
    }
  }

  const partitionIds = m.operation.endpoint.partitions.map((p) => p.id);
  if (!partitionIds.includes(m.operation.endpoint.defaultPartition)) {
    issues.push(
      definitionIssue(
        'operation.endpoint.defaultPartition',
        'partition',
        `operation.endpoint.defaultPartition is ${m.operation.endpoint.defaultPartition}, which is not one of the partitions (${partitionIds.join(', ')})`,
      ),
    );
  }
  m.operation.endpoint.partitions.forEach((p, index) => {
    const field = `operation.endpoint.partitions[${index}]`;
    if (partitionIds.indexOf(p.id) !== index) {
      issues.push(definitionIssue(`${field}.id`, 'unique', `${field}.id repeats the partition ${p.id}`));
    }
    try {
      new RegExp(p.regionPattern);
    } catch {
      issues.push(
        definitionIssue(
          `${field}.regionPattern`,
          'regex',
          `${field}.regionPattern is not a valid regular expression`,
        ),
      );
    }
  });

  const errorNames = new Set<string>();
  m.errors.modeled.forEach((e: ModeledErrorDefinition, index) => {
    if (errorNames.has(e.name)) {
      issues.push(
        definitionIssue(
          `errors.modeled[${index}].name`,
          'unique',
          `errors.modeled[${index}].name repeats ${e.name}`,
        ),
      );
    }
    errorNames.add(e.name);
  });

  const success = m.response.successStatus;
  m.response.emptyBodyStatus.forEach((status, index) => {
    if (!success.includes(status)) {
      issues.push(
        definitionIssue(
          `response.emptyBodyStatus[${index}]`,
          'status',
          `response.emptyBodyStatus[${index}] is ${status}, which is not one of response.successStatus`,
        ),
      );
    }
  });
  return issues;
}
