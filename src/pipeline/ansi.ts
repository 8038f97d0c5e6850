/**
 * ANSI escape handling. Terminal escapes are invisible to a human looking at a terminal but not to the
 * model: SGR 8 ("conceal") hides text, cursor movement and erase sequences overwrite text that was
 * printed, OSC 8 hides a link target behind its label. `stripAnsi` removes every escape (7-bit CSI,
 * 8-bit CSI U+009B, OSC ending in BEL or ST, two-character escapes) and returns the text a human would
 * not have seen as `hidden`. Colour-only SGR (test runners, linters) yields no hidden text.
 * `ansiControlSpans` gives the sequences a `strip` action removes (issue 12): everything but colour and
 * style SGR — cursor movement, erase, mode changes, OSC (window titles, hyperlinks, clipboard writes) and
 * concealed text with the SGR pair around it.
 */

export interface AnsiResult {
  text: string;
  hidden: string[];
  /** True when cursor-movement or erase sequences were present. */
  cursorMoves: boolean;
  concealed: boolean;
}

// One token: OSC (ESC ] ... BEL|ESC \), CSI (ESC [ or 0x9B, params, final byte), other 2-char escape
// (C1 as ESC + @..Z \ ] ^ _, save/restore cursor ESC 7/8, keypad modes ESC = / >, reset ESC c).
const TOKEN = /\x1b\][^\x07\x1b]{0,4096}(?:\x07|\x1b\\)?|(?:\x1b\[|\x9b)([0-9;:?<=>]{0,64})([ -/]{0,4})([@-~])|\x1b[@-Z\\-_78=>c]/g;
const CURSOR_FINALS = 'ABCDEFGHJKSTfsu';

/**
 * What an SGR sequence does to concealment: `on` (8), `off` (28, 0, or an empty reset), or nothing.
 * Extended colours are skipped whole (`38;5;8` is colour 8, not conceal).
 */
export function sgrConceal(params: string): 'on' | 'off' | undefined {
  if (params === '') return 'off';
  const codes = params.split(/[;:]/);
  let effect: 'on' | 'off' | undefined;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] ?? '';
    if (code === '38' || code === '48' || code === '58') {
      i += codes[i + 1] === '2' ? 4 : 2;
      continue;
    }
    if (code === '8') effect = 'on';
    else if (code === '28' || code === '0' || code === '') effect = 'off';
  }
  return effect;
}

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
      const effect = sgrConceal(params);
      if (effect === 'on' && concealStart < 0) { concealStart = text.length; concealed = true; }
      else if (effect === 'off' && concealStart >= 0) {
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

/** Spans of `raw` holding ANSI control other than colour and style, concealed text included (see the module comment). */
export function ansiControlSpans(raw: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  if (!raw.includes('\x1b') && !raw.includes('\x9b')) return spans;
  let concealStart = -1;
  for (const m of raw.matchAll(TOKEN)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (m[3] !== 'm') {
      if (concealStart < 0) spans.push({ start, end });
      continue;
    }
    const effect = sgrConceal(m[1] ?? '');
    if (effect === 'on' && concealStart < 0) concealStart = start;
    else if (effect === 'off' && concealStart >= 0) {
      spans.push({ start: concealStart, end });
      concealStart = -1;
    }
  }
  if (concealStart >= 0) spans.push({ start: concealStart, end: raw.length });
  return spans;
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
