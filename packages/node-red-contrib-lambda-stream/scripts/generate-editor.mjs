/**
 * Generates the editor files of both nodes (`nodes/lambda-stream.html`, `nodes/lambda-stream-aws.html`)
 * from the task definition of the installed `lambda-stream-task`: the dialog's fields (titles,
 * descriptions, enums, defaults, limits), the property validators and the help text. The dialog's
 * behaviour (inline validation, Test request) is the hand-written `editor/*.editor.js`, inlined.
 * Run by the package's `build` and `prepack` (and so by the root `npm run build`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configHelp, taskHelp } from './render-help.mjs';
import { escapeHtml, formGroup, formRow, scriptJson } from './render-html.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const require = createRequire(import.meta.url);
const { describeDefinition } = require('../lib/describe-definition.js');
const def = describeDefinition((path) => require(`lambda-stream-task/${path}`));
const editorScript = (name) => readFileSync(join(root, 'editor', name), 'utf8');

/** What the editor script needs of a field to validate it as the user types. */
function rule(f) {
  const keys = [
    'prop',
    'title',
    'type',
    'enum',
    'required',
    'minimum',
    'maximum',
    'minLength',
    'maxLength',
    'pattern',
  ];
  const out = Object.fromEntries(keys.filter((k) => f[k] !== undefined).map((k) => [k, f[k]]));
  if (f.hostEnum) out.enum = [...f.enum, ...f.hostEnum.map((o) => o.value)];
  return out;
}

function taskHtml() {
  const fields = [...def.task.parameters, ...def.task.settings.flatMap((g) => g.fields)];
  const byLocation = (location) =>
    def.task.parameters.filter((f) => f.location === location).map((f) => formRow(f));
  const payload = def.task.payload;
  const payloadRows = [
    `<div class="form-row ls-row">\n  <label for="node-input-payload">${escapeHtml(payload.title)}</label>\n  <input type="text" id="node-input-payload" title="${escapeHtml(payload.description)}" style="width:70%">\n  <input type="hidden" id="node-input-payloadType">\n  <div class="ls-issue" data-for="payload" role="alert"></div>\n</div>`,
    `<div class="form-row ls-row">\n  <label for="node-input-testPayload">Test payload</label>\n  <input type="text" id="node-input-testPayload" placeholder="{&quot;count&quot;:5}" title="JSON sent by Test request when the payload comes from the message" style="width:70%">\n</div>`,
  ];
  const groups = def.task.settings.map((g) =>
    g.title === null
      ? g.fields.map((f) => formRow(f)).join('\n')
      : formGroup(
          g.title,
          g.description,
          g.fields.map((f) => formRow(f)),
        ),
  );
  const template = [
    `<div class="form-row"><label for="node-input-name"><i class="fa fa-tag"></i> Name</label><input type="text" id="node-input-name" style="width:70%"></div>`,
    `<div class="form-row"><label for="node-input-aws"><i class="fa fa-cloud"></i> AWS</label><input type="text" id="node-input-aws" style="width:70%"></div>`,
    formGroup('Function', '', [...byLocation('path'), ...byLocation('query')]),
    formGroup('Payload', '', payloadRows),
    formGroup('Output', '', groups.slice(0, 3)),
    `<div class="ls-issues-general" role="alert"></div>`,
    editorScript('test-panel.html'),
    formGroup('Headers', '', byLocation('headers')),
    ...groups.slice(3),
  ].join('\n');
  const defaults = {
    name: { value: '' },
    aws: { value: '', type: 'lambda-stream-aws', required: false },
    payload: { value: 'payload' },
    payloadType: { value: 'msg' },
    testPayload: { value: '' },
  };
  for (const f of fields)
    defaults[f.prop] = { value: f.default === undefined ? '' : String(f.default), required: f.required };
  const spec = {
    type: 'lambda-stream',
    defaults,
    rules: fields.map(rule),
    label: def.manifest.displayName,
  };
  return page('lambda-stream', spec, 'lambda-stream.editor.js', template, taskHelp(def));
}

function configHtml() {
  const credentialRows = def.config.credentials.map((f) => formRow(f, 'input'));
  const template = [
    `<div class="form-row"><label for="node-config-input-name"><i class="fa fa-tag"></i> Name</label><input type="text" id="node-config-input-name" style="width:70%"></div>`,
    ...def.config.settings.map((f) => formRow(f, 'config-input')),
    `<div class="form-row ls-row">\n  <label for="node-config-input-credentialSource">${escapeHtml(def.config.credentialsTitle)}</label>\n  <select id="node-config-input-credentialSource" title="${escapeHtml(def.config.credentialsDescription)}" style="width:70%"><option value="chain">the default AWS credential chain</option><option value="keys">keys (Node-RED credential store)</option></select>\n</div>`,
    `<div class="ls-keys">\n${credentialRows.join('\n').replace(/node-input-/g, 'node-config-input-')}\n</div>`,
  ].join('\n');
  const defaults = { name: { value: '' }, credentialSource: { value: 'chain' } };
  for (const f of def.config.settings) defaults[f.prop] = { value: '' };
  const credentials = Object.fromEntries(
    def.config.credentials.map((f) => [f.prop, { type: f.secret ? 'password' : 'text' }]),
  );
  const spec = { type: 'lambda-stream-aws', defaults, credentials, rules: def.config.settings.map(rule) };
  return page('lambda-stream-aws', spec, 'lambda-stream-aws.editor.js', template, configHelp(def));
}

function page(type, spec, script, template, help) {
  return `<!-- Generated by scripts/generate-editor.mjs from the lambda-stream-task definition. Do not edit. -->
<script type="text/javascript">
(function () {
  const LS_SPEC = ${scriptJson(spec)};
${editorScript('field-rules.js')}
${editorScript(script)}
})();
</script>

<script type="text/html" data-template-name="${type}">
<style>${editorScript('editor.css')}</style>
${template}
</script>

<script type="text/html" data-help-name="${type}">
${help}
</script>
`;
}

writeFileSync(join(root, 'nodes', 'lambda-stream.html'), taskHtml());
writeFileSync(join(root, 'nodes', 'lambda-stream-aws.html'), configHtml());
console.log(
  'node-red-contrib-lambda-stream: generated nodes/lambda-stream.html and nodes/lambda-stream-aws.html',
);
