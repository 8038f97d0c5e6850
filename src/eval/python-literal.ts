/**
 * Parses the Python-literal dicts some corpus records use for `input_schema` (`{'type': 'object',
 * 'properties': {...}, 'required': ['a']}` with True/False/None). A small recursive-descent parser
 * rather than quote swapping, because descriptions contain apostrophes and double quotes.
 */

export function parsePythonLiteral(src: string): unknown {
  const p = { s: src, i: 0 };
  const value = parseValue(p);
  skipWs(p);
  if (p.i !== p.s.length) throw new Error(`unexpected trailing input at ${p.i}`);
  return value;
}

interface Cursor { s: string; i: number }

function skipWs(p: Cursor): void {
  while (p.i < p.s.length && /\s/.test(p.s[p.i] ?? '')) p.i++;
}

function parseValue(p: Cursor): unknown {
  skipWs(p);
  const c = p.s[p.i];
  if (c === '{') return parseDict(p);
  if (c === '[' || c === '(') return parseList(p, c === '[' ? ']' : ')');
  if (c === "'" || c === '"') return parseString(p);
  const word = /^(True|False|None|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(p.s.slice(p.i, p.i + 40));
  if (!word) throw new Error(`unexpected character ${JSON.stringify(c)} at ${p.i}`);
  p.i += word[0].length;
  if (word[0] === 'True') return true;
  if (word[0] === 'False') return false;
  if (word[0] === 'None') return null;
  return Number(word[0]);
}

function parseDict(p: Cursor): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  p.i++;
  for (;;) {
    skipWs(p);
    if (p.s[p.i] === '}') { p.i++; return out; }
    const key = String(parseValue(p));
    skipWs(p);
    if (p.s[p.i] !== ':') throw new Error(`expected ':' at ${p.i}`);
    p.i++;
    Object.defineProperty(out, key, { value: parseValue(p), writable: true, enumerable: true, configurable: true });
    skipWs(p);
    if (p.s[p.i] === ',') p.i++;
  }
}

function parseList(p: Cursor, close: string): unknown[] {
  const out: unknown[] = [];
  p.i++;
  for (;;) {
    skipWs(p);
    if (p.s[p.i] === close) { p.i++; return out; }
    out.push(parseValue(p));
    skipWs(p);
    if (p.s[p.i] === ',') p.i++;
  }
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };

function parseString(p: Cursor): string {
  const quote = p.s[p.i];
  p.i++;
  let out = '';
  while (p.i < p.s.length) {
    const c = p.s[p.i] ?? '';
    if (c === quote) { p.i++; return out; }
    if (c === '\\') {
      const next = p.s[p.i + 1] ?? '';
      if (next === 'u' || next === 'x') {
        const len = next === 'u' ? 4 : 2;
        out += String.fromCharCode(parseInt(p.s.slice(p.i + 2, p.i + 2 + len), 16));
        p.i += 2 + len;
      } else {
        out += ESCAPES[next] ?? `\\${next}`;
        p.i += 2;
      }
      continue;
    }
    out += c;
    p.i++;
  }
  throw new Error('unterminated string');
}
