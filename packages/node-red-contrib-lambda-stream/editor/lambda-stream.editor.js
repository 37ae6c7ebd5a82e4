// The task node's dialog: inline validation through the runtime (the core's messages) and the live
// Test request, read as NDJSON while it streams. Nothing from the function's output is inserted as
// HTML: every value goes in with textContent.
const MAX_LISTED_CHUNKS = 500;
let validateTimer;
let running;

function dialogValues() {
  const values = {};
  for (const prop of Object.keys(LS_SPEC.defaults)) {
    const el = $(`#node-input-${prop}`);
    if (el.length > 0) values[prop] = el.val();
  }
  return values;
}

function post(path, body, extra) {
  return $.ajax({
    url: `lambda-stream/${path}`,
    type: 'POST',
    contentType: 'application/json; charset=utf-8',
    data: JSON.stringify(body),
    ...extra,
  });
}

function showIssues(issues) {
  $('.ls-issue').text('');
  const general = [];
  for (const issue of issues) {
    const place = $(`.ls-issue[data-for="${issue.prop}"]`);
    if (issue.prop !== undefined && place.length > 0)
      place.text(place.text() ? `${place.text()}\n${issue.message}` : issue.message);
    else general.push(issue.message);
  }
  $('.ls-issues-general').text(general.join('\n'));
}

function validateSoon() {
  clearTimeout(validateTimer);
  validateTimer = setTimeout(
    () => post('validate', { values: dialogValues() }).done((r) => showIssues(r.issues ?? [])),
    250,
  );
}

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

const panel = {
  status: (text) => $('#node-lambda-stream-status').text(text),
  error: (text) => $('#node-lambda-stream-error').text(text),
  reset() {
    this.status('');
    this.error('');
    $('#node-lambda-stream-chunks').empty();
    $('#node-lambda-stream-log, #node-lambda-stream-request, #node-lambda-stream-curl').text('');
  },
  chunk(event) {
    const list = document.getElementById('node-lambda-stream-chunks');
    if (list.children.length >= MAX_LISTED_CHUNKS) return;
    const item = el('li');
    item.append(el('span', 'ls-when', `+${Math.round(event.elapsedMs)} ms · ${event.size} B · `));
    item.append(el('span', 'ls-data', event.preview.text ?? `hex ${event.preview.hex}`));
    list.append(item);
    list.scrollTop = list.scrollHeight;
  },
};

function formatError(error) {
  return [`${error.code}: ${error.message}`, error.hint ? `Hint: ${error.hint}` : '']
    .filter(Boolean)
    .join('\n');
}

function onEvent(event) {
  if (event.type === 'request') {
    const r = event.request;
    $('#node-lambda-stream-request').text(
      `${r.method} ${r.url}\n${Object.entries(r.headers)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n')}`,
    );
    $('#node-lambda-stream-curl').text(r.curl.command);
    panel.status(`attempt ${event.attempt}: request sent…`);
  } else if (event.type === 'retry') panel.status(`retrying after ${event.code} in ${event.delayMs} ms…`);
  else if (event.type === 'response')
    panel.status(`HTTP ${event.statusCode} · first byte ${Math.round(event.elapsedMs)} ms · streaming…`);
  else if (event.type === 'chunk') {
    panel.chunk(event);
    panel.status(`streaming: ${event.seq + 1} chunk(s), ${event.bytes} B`);
  } else if (event.type === 'error') panel.error(formatError(event.error));
  else if (event.type === 'report') {
    const report = event.report;
    const ttfb = report.response?.timeToFirstByteMs;
    panel.status(`${report.summary}${ttfb === undefined ? '' : ` · first byte ${Math.round(ttfb)} ms`}`);
    if (report.issues) panel.error(report.issues.map((i) => i.message).join('\n'));
    if (report.log) {
      $('#node-lambda-stream-log').text(report.log.text);
      $('#node-lambda-stream-log-box').attr('open', true);
    }
  } else if (event.type === 'failure') panel.error(formatError(event.error));
}

function runTest() {
  if (running) running.abort();
  panel.reset();
  panel.status('sending…');
  let seen = 0;
  let buffer = '';
  const readLines = (text) => {
    buffer += text.slice(seen);
    seen = text.length;
    const lines = buffer.split('\n');
    buffer = lines.pop();
    for (const line of lines) if (line.trim() !== '') onEvent(JSON.parse(line));
  };
  const xhrFactory = () => {
    const xhr = $.ajaxSettings.xhr();
    xhr.addEventListener('progress', () => readLines(xhr.responseText));
    return xhr;
  };
  $('#node-lambda-stream-cancel').prop('disabled', false);
  running = post('test', { values: dialogValues() }, { xhr: xhrFactory, dataType: 'text' });
  running
    .done((text) => readLines(`${text}\n`))
    .fail((xhr, status) => {
      if (status === 'abort') panel.status('cancelled');
      else
        panel.error(
          xhr.responseJSON?.error
            ? formatError(xhr.responseJSON.error)
            : `Test request failed: HTTP ${xhr.status}`,
        );
    })
    .always(() => {
      running = undefined;
      $('#node-lambda-stream-cancel').prop('disabled', true);
    });
}

RED.nodes.registerType(LS_SPEC.type, {
  category: 'function',
  color: '#F3B567',
  defaults: LS_SPEC.defaults,
  inputs: 1,
  outputs: 2,
  icon: 'font-awesome/fa-bolt',
  paletteLabel: 'lambda stream',
  outputLabels: ['chunks or result', 'completion'],
  label() {
    return this.name || this.functionName || 'lambda stream';
  },
  oneditprepare() {
    $('#node-input-payload').typedInput({
      default: 'msg',
      types: ['msg', 'json'],
      typeField: '#node-input-payloadType',
    });
    $('#node-lambda-stream-test').on('click', runTest);
    $('#node-lambda-stream-cancel').on('click', () => running?.abort());
    $('.ls-row :input, #node-input-payload').on('input change', validateSoon);
    validateSoon();
  },
  oneditsave() {
    running?.abort();
  },
  oneditcancel() {
    running?.abort();
  },
});
