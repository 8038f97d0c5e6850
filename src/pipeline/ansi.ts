/**
 * ANSI escape handling. Terminal escapes are invisible to a human looking at a terminal but not to the
 * model: SGR 8 ("conceal") hides text, cursor movement and erase sequences overwrite text that was
 * printed, OSC 8 hides a link target behind its label. `stripAnsi` removes every escape (7-bit CSI,
 * 8-bit CSI U+009B, OSC ending in BEL or ST, two-character escapes) and returns the text a human would
 * not have seen as `hidden`. Colour-only SGR (test runners, linters) yields no hidden text.
 */

export interface AnsiResult {
  text: string;
  hidden: string[];
  /** True when cursor-movement or erase sequences were present. */
  cursorMoves: boolean;
  concealed: boolean;
}

// One token: OSC (ESC ] ... BEL|ESC \), CSI (ESC [ or 0x9B, params, final byte), other 2-char escape.
const TOKEN = /\x1b\][^\x07\x1b]{0,4096}(?:\x07|\x1b\\)?|(?:\x1b\[|\x9b)([0-9;:?<=>]{0,64})([ -/]{0,4})([@-~])|\x1b[@-Z\\-_]/g;
const CURSOR_FINALS = 'ABCDEFGHJKSTfsu';

export function stripAnsi(raw: string): AnsiResult {
  const hidden: string[] = [];
  let text = '';
  let last = 0;
  let concealStart = -1;
  let cursorMoves = false;
  let concealed = false;
  for (const m of raw.matchAll(TOKEN)) {
    const idx = m.index ?? 0;
    text += raw.slice(last, idx);
    last = idx + m[0].length;
    const token = m[0];
    if (token.startsWith('\x1b]')) {
      const target = oscHiddenText(token);
      if (target) hidden.push(target);
      continue;
    }
    const params = m[1] ?? '';
    const final = m[3] ?? '';
    if (final === 'm') {
      const codes = params.split(/[;:]/);
      if (codes.includes('8') && concealStart < 0) { concealStart = text.length; concealed = true; }
      else if (concealStart >= 0 && (codes.includes('28') || codes.includes('0') || params === '')) {
        hidden.push(text.slice(concealStart));
        concealStart = -1;
      }
    } else if (final !== '' && CURSOR_FINALS.includes(final)) {
      cursorMoves = true;
      hidden.push(lineBefore(text));
    }
  }
  text += raw.slice(last);
  if (concealStart >= 0) hidden.push(text.slice(concealStart));
  return { text, hidden: hidden.filter((h) => h.trim().length > 0), cursorMoves, concealed };
}

/** OSC 8 link targets and OSC 0/2 window titles are text the reader of the terminal never sees inline. */
function oscHiddenText(token: string): string {
  const body = token.replace(/^\x1b\]/, '').replace(/(?:\x07|\x1b\\)$/, '');
  const m = /^(\d{1,4});(.*)$/s.exec(body);
  if (!m) return '';
  if (m[1] === '8') return (m[2] ?? '').replace(/^[^;]*;/, '');
  if (m[1] === '0' || m[1] === '2') return m[2] ?? '';
  return '';
}

/** The visible line that a cursor-move/erase sequence right after it would overwrite. */
function lineBefore(text: string): string {
  const nl = text.lastIndexOf('\n', text.length - 2);
  return text.slice(nl + 1).replace(/\r/g, '');
}
