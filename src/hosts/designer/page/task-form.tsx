/**
 * The task form: JSON Forms with its vanilla renderers, from the schema and UI schema the server
 * built from the definition. Validation is the server's (the messages of `lambda-stream validate`),
 * shown on the fields as JSON Forms' additional errors.
 */
import {
  type JsonFormsI18nState,
  type JsonSchema,
  type Middleware,
  type Translator,
  type UISchemaElement,
  UPDATE_CORE,
} from '@jsonforms/core';
import { JsonForms } from '@jsonforms/react';
import { vanillaCells, vanillaRenderers } from '@jsonforms/vanilla-renderers';
import type { ErrorObject } from 'ajv';
import { useCallback, useRef } from 'react';
import { jsonEditorEntry } from './json-editor-control.js';
import './task-form.css';
import type { FormModel, ValidationIssue } from './types.js';

const RENDERERS = [...vanillaRenderers, jsonEditorEntry];
const CONFIG = { showUnfocusedDescription: true, hideRequiredAsterisk: false, trim: false };
/** The empty choice of a select: vanilla calls it "None", which reads as the value `None` of Log type. */
const I18N: JsonFormsI18nState = {
  translate: ((key: string, fallback: unknown) =>
    key.endsWith('enum.none') ? '(not set)' : fallback) as Translator,
};

/** Issues as the errors JSON Forms shows under each field (`headers.X-Amz-Log-Type` → `/headers/X-Amz-Log-Type`). */
function asErrors(issues: ValidationIssue[]): ErrorObject[] {
  return issues.map((issue) => ({
    instancePath: `/${issue.path.split('.').join('/')}`,
    schemaPath: '',
    keyword: issue.keyword,
    params: {},
    message: issue.message,
  }));
}

export function TaskForm(props: {
  model: FormModel;
  data: unknown;
  issues: ValidationIssue[];
  onChange(data: unknown): void;
}) {
  const { model, data, issues, onChange } = props;
  // JSON Forms emits its data debounced (10 ms) and re-reads the `data` prop whenever a prop changes
  // (the issues too). The page holds the emitted data and passes it back: that echo can be older than
  // what the form holds by then, and taking it would drop keys typed in between. So an echo of what
  // the form emitted keeps the form's own data; data from elsewhere (a new definition) replaces it.
  const emitted = useRef<unknown>(undefined);
  const middleware = useCallback<Middleware>((state, action, reducer) => {
    if (action.type === UPDATE_CORE && action.data === emitted.current && emitted.current !== undefined)
      return reducer(state, { ...action, data: state.data });
    return reducer(state, action);
  }, []);
  return (
    <form className="task-form" aria-label="Task input" onSubmit={(ev) => ev.preventDefault()}>
      <JsonForms
        schema={model.schema as JsonSchema}
        uischema={model.uischema as UISchemaElement}
        data={data}
        renderers={RENDERERS}
        cells={vanillaCells}
        config={CONFIG}
        i18n={I18N}
        validationMode="NoValidation"
        additionalErrors={asErrors(issues)}
        middleware={middleware}
        onChange={({ data: next }) => {
          emitted.current = next;
          onChange(next);
        }}
      />
    </form>
  );
}
