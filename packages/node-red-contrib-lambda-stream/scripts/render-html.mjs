/**
 * HTML pieces of the generated editor files: escaping, the schema's markdown-ish descriptions
 * (backticks become <code>), and one form row per field.
 */

/** Escape text for HTML content and attribute values. */
export function escapeHtml(text) {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** A schema description as HTML: escaped, with `code` spans. */
export function describe(text) {
  return escapeHtml(text ?? '').replace(/`([^`]+)`/g, '<code>$1</code>');
}

/** A JSON value for inline `<script>`: `<` escaped so no text in a schema can close the script element. */
export function scriptJson(value) {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function placeholder(field) {
  if (field.default !== undefined) return String(field.default);
  if (Array.isArray(field.examples) && typeof field.examples[0] === 'string') return field.examples[0];
  return '';
}

function control(field, kind) {
  const id = `node-${kind}-${field.prop}`;
  const title = escapeHtml(field.description);
  if (Array.isArray(field.enum)) {
    const values = [...field.enum, ...(field.hostEnum ?? []).map((o) => o.value)];
    const labels = {
      ...field.hostLabels,
      ...Object.fromEntries((field.hostEnum ?? []).map((o) => [o.value, o.label])),
    };
    // An empty value means "not set": the definition's default applies (a flow deployed through the
    // admin API may leave any property out).
    const unset = field.required
      ? ''
      : `<option value="">${field.default === undefined ? '(not set)' : `default (${escapeHtml(field.default)})`}</option>`;
    const options = values
      .map((v) => `<option value="${escapeHtml(v)}">${escapeHtml(labels[v] ?? v)}</option>`)
      .join('');
    return `<select id="${id}" title="${title}" style="width:70%">${unset}${options}</select>`;
  }
  const type = field.secret
    ? 'password'
    : field.type === 'integer' || field.type === 'number'
      ? 'number'
      : 'text';
  const min = field.minimum === undefined ? '' : ` min="${field.minimum}"`;
  const max = field.maximum === undefined ? '' : ` max="${field.maximum}"`;
  return `<input type="${type}" id="${id}" title="${title}" placeholder="${escapeHtml(placeholder(field))}"${min}${max} style="width:70%">`;
}

/**
 * One dialog row: the schema's title as the label (marked when required), the control, and the
 * place where the field's validation message appears (`role="alert"`, filled by the editor script).
 */
export function formRow(field, kind = 'input') {
  const required = field.required ? ' <span class="ls-required" aria-hidden="true">*</span>' : '';
  return [
    `<div class="form-row ls-row">`,
    `  <label for="node-${kind}-${field.prop}">${escapeHtml(field.title)}${required}</label>`,
    `  ${control(field, kind)}`,
    `  <div class="ls-issue" data-for="${field.prop}" role="alert"></div>`,
    `</div>`,
  ].join('\n');
}

/** A titled group of rows, its description as a tip. */
export function formGroup(title, description, rows) {
  const tip = description ? `\n<div class="form-tips ls-tip">${describe(description)}</div>` : '';
  return `<h4 class="ls-group">${escapeHtml(title)}</h4>${tip}\n${rows.join('\n')}`;
}
