/**
 * The info-sidebar help of both nodes, from the definition's descriptions and Node-RED's help
 * conventions (`message-properties`, `property-type`, `optional`).
 */
import { describe, escapeHtml } from './render-html.mjs';

function typeOf(field) {
  if (Array.isArray(field.enum)) return 'string';
  return field.type ?? 'any';
}

function property(field, optional = true) {
  const cls = optional ? ' class="optional"' : '';
  const choices = Array.isArray(field.enum)
    ? ` One of ${[...field.enum, ...(field.hostEnum ?? []).map((o) => o.value)].map((v) => `<code>${escapeHtml(v)}</code>`).join(', ')}.`
    : '';
  const dflt = field.default === undefined ? '' : ` Default <code>${escapeHtml(field.default)}</code>.`;
  return `  <dt${cls}>${escapeHtml(field.prop)} <span class="property-type">${typeOf(field)}</span></dt>\n  <dd><b>${escapeHtml(field.title)}.</b> ${describe(field.description)}${choices}${dflt}</dd>`;
}

/** Help of the `lambda-stream` node. */
export function taskHelp(def) {
  const byProp = new Map(
    [...def.task.parameters, ...def.task.settings.flatMap((g) => g.fields)].map((f) => [f.prop, f]),
  );
  const overrides = def.task.overridable.map((p) => property(byProp.get(p))).join('\n');
  const groups = def.task.settings
    .filter((g) => g.title !== null)
    .map(
      (g) =>
        `<h4>${escapeHtml(g.title)}</h4>\n<p>${describe(g.description)}</p>\n<dl class="message-properties">\n${g.fields.map((f) => property(f)).join('\n')}\n</dl>`,
    )
    .join('\n');
  return `<p>${describe(def.manifest.description)}</p>
<p>Operation: <code>${escapeHtml(def.operation.method)} ${escapeHtml(def.operation.pathTemplate)}</code> (${escapeHtml(def.operation.name)}), signed with SigV4 by the <code>lambda-stream-aws</code> config node.</p>
<h3>Inputs</h3>
<dl class="message-properties">
  <dt>payload <span class="property-type">object | string | buffer</span></dt>
  <dd><b>${escapeHtml(def.task.payload.title)}.</b> The event passed to the function (or another <code>msg</code> property, or a fixed JSON value, as set in the dialog): an object is sent as JSON, a string as its UTF-8 bytes, a Buffer as its bytes. At most 6 MB.</dd>
${overrides}
</dl>
<h3>Outputs</h3>
<ol class="node-ports">
  <li>Output
    <dl class="message-properties">
      <dt>payload <span class="property-type">object | string | buffer</span></dt>
      <dd><b>aggregated</b>: the whole response (parsed JSON, text, or a Buffer with the <code>bytes</code> or <code>buffer</code> encoding). <b>chunked</b>: one message per chunk as it arrives, then one with an empty payload that ends the sequence.</dd>
      <dt>parts <span class="property-type">object</span></dt>
      <dd><b>chunked</b>: <code>id</code>, <code>index</code>, <code>type</code> (<code>string</code>, or <code>buffer</code> when the chunks are Buffers), <code>ch</code> (empty), and <code>count</code> on the last message, as the split node writes them: a <b>join</b> node in automatic mode reassembles the exact bytes. A stream that fails midway ends with <code>msg.reset</code>, so the join drops the incomplete group.</dd>
      <dt>lambda <span class="property-type">object</span></dt>
      <dd><b>aggregated</b>: the rest of the result (<code>statusCode</code>, <code>executedVersion</code>, <code>requestId</code>, <code>bytes</code>, <code>chunks</code>, <code>timeToFirstByteMs</code>, <code>totalMs</code>, <code>logResult</code>, …). <b>chunked</b>: <code>seq</code>, <code>offset</code>, <code>size</code>, <code>elapsedMs</code> of the chunk.</dd>
    </dl>
  </li>
  <li>Completion (chunked mode)
    <dl class="message-properties">
      <dt>payload <span class="property-type">object</span></dt>
      <dd>The summary once the stream has completed: status, bytes, chunks, timings, the decoded tail log (<code>logResult</code>, with log type <code>Tail</code>), and <code>functionError</code> when the function failed.</dd>
    </dl>
  </li>
</ol>
<h3>Errors</h3>
<p>Failures go to <b>catch</b> nodes with <code>msg.error.code</code> (<code>INVALID_INPUT</code>, <code>SERVICE_ERROR</code>, <code>THROTTLED</code>, <code>IDLE_TIMEOUT</code>, <code>FUNCTION_ERROR</code>, …) and the whole failure, redacted, on <code>msg.lambda.error</code>. Bad input is refused before anything is sent, with the same message as <code>lambda-stream validate</code>. A function error keeps the output written before it (on <code>msg.payload</code> in aggregated mode; in chunked mode the sequence is ended, so a join gives it). Redeploying or stopping the flow aborts calls in flight.</p>
<h3>Details</h3>
${groups}
<h4>Test request</h4>
<p>The <b>Test request</b> button in the dialog runs the call once with the dialog's current values (and the <i>Test payload</i> when the payload comes from the message) and the <b>deployed</b> config node's credentials, and lists each chunk as it arrives, then the status, time to first byte, the tail log, errors with a hint, and the redacted request with its <code>curl</code> command.</p>`;
}

/** Help of the `lambda-stream-aws` config node. */
export function configHelp(def) {
  const settings = def.config.settings.map((f) => property(f)).join('\n');
  const credentials = def.config.credentials.map((f) => property(f)).join('\n');
  return `<p>Where <code>lambda-stream</code> nodes send their calls and how they sign them.</p>
<dl class="message-properties">
${settings}
</dl>
<h3>${escapeHtml(def.config.credentialsTitle)}</h3>
<p>${describe(def.config.credentialsDescription)}</p>
<p>Keys entered here are kept in Node-RED's credential store (encrypted with <code>credentialSecret</code>), never in the flow file; the secret key and the session token are never sent back to the editor.</p>
<dl class="message-properties">
${credentials}
</dl>`;
}
