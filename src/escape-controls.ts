/**
 * Text from the function, the service or an input file is shown to people on a terminal, where a
 * control character is an instruction (`ESC [2J` clears the screen, `ESC ] 0;…BEL` retitles the
 * window, a CR rewrites the line already shown). Every human-readable line passes through here;
 * JSON and NDJSON output do not (JSON escapes C0 itself and must stay exact).
 */

const NAMED: Readonly<Record<number, string>> = { 10: '\\n', 13: '\\r' };

/**
 * C0 (U+0000–U+001F) but TAB, DEL (U+007F) and C1 (U+0080–U+009F). A tab only moves the cursor
 * forward, and Lambda's log lines are tab-separated, so it stays.
 */
function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09) || (code >= 0x7f && code <= 0x9f);
}

/**
 * `text` with every control character but tab written as a visible escape (`\u001b`, `\r`, `\n`…), so it
 * prints as one inert line; `keepNewlines` keeps LF for a multi-line block (a log tail, a preview).
 * @example
 * escapeControls('\u001b[2Jok\r') // '\\u001b[2Jok\\r'
 */
export function escapeControls(text: string, options: { keepNewlines?: boolean } = {}): string {
  const keepNewlines = options.keepNewlines === true;
  let out: string | undefined;
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isControl(code) || (keepNewlines && code === 0x0a)) continue;
    out = `${out ?? ''}${text.slice(from, i)}${NAMED[code] ?? `\\u${code.toString(16).padStart(4, '0')}`}`;
    from = i + 1;
  }
  return out === undefined ? text : `${out}${text.slice(from)}`;
}
