/**
 * The body member's editor: a JSON text area registered as a JSON Forms renderer, so the rest of the
 * form stays JSON Forms' own. The text is kept as typed; the page parses it before sending.
 */
import { type ControlProps, optionIs, rankWith } from '@jsonforms/core';
import { withJsonFormsControlProps } from '@jsonforms/react';

function JsonEditorControl({
  data,
  handleChange,
  path,
  label,
  description,
  errors,
  id,
  required,
  enabled,
}: ControlProps) {
  const inputId = `${id}-input`;
  const text = typeof data === 'string' ? data : '';
  let state = 'empty (no payload)';
  if (text.trim() !== '') {
    try {
      JSON.parse(text);
      state = 'valid JSON';
    } catch {
      state = 'not valid JSON yet';
    }
  }
  return (
    <div className={`control json-editor${errors ? ' has-error' : ''}`} id={id}>
      <label htmlFor={inputId}>
        {label}
        {required ? '*' : ''}
      </label>
      <textarea
        id={inputId}
        className="json"
        value={text}
        disabled={!enabled}
        spellCheck={false}
        rows={6}
        aria-describedby={`${inputId}-state ${inputId}-description`}
        onChange={(ev) => handleChange(path, ev.target.value === '' ? undefined : ev.target.value)}
      />
      <div className="json-state" id={`${inputId}-state`}>
        {state}
      </div>
      <div className="validation">{errors}</div>
      <div className="description" id={`${inputId}-description`}>
        {description}
      </div>
    </div>
  );
}

/** The renderer entry: for controls whose UI schema says `options.json`. */
export const jsonEditorEntry = {
  tester: rankWith(10, optionIs('json', true)),
  renderer: withJsonFormsControlProps(JsonEditorControl),
};
