/**
 * Text from the function, the service or an input file is shown to people on a terminal, where a
 * control character is an instruction (`ESC [2J` clears the screen, `ESC ] 0;…BEL` retitles the
 * window, a CR rewrites the line already shown). Every human-readable line passes through here;
 * JSON and NDJSON output do not (JSON escapes C0 itself and must stay exact).
 */

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** C0 (U+0000–U+001F), DEL (U+007F) and C1 (U+0080–U+009F); with `keepNewlines`, LF is left alone. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
const CONTROLS_BUT_LF = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

function escapeOne(c: string): string {
  return NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every control character written as a visible escape (`\u001b`, `\r`, `\n`…), so it
 * prints as one inert line; `keepNewlines` keeps LF for a multi-line block (a log tail, a preview).
 * @example
 * escapeControls('\u001b[2Jok\r') // '\\u001b[2Jok\\r'
 */
export function escapeControls(text: string, options: { keepNewlines?: boolean } = {}): string {
  const pattern = options.keepNewlines === true ? CONTROLS_BUT_LF : CONTROLS;
  pattern.lastIndex = 0;
  return pattern.test(text) ? text.replace(pattern, escapeOne) : text;
}
