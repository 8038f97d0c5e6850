/**
 * Repeated decoding of the escape layers attackers stack to hide keywords from literal matchers:
 * HTML entities (named subset, decimal, hex), URL percent-encoding and JSON/JS escapes (`\uXXXX`, `\xXX`,
 * `\n`, `\"`: tool results often carry JSON-encoded text inside text).
 * Runs until the text stops changing (at most four rounds), so `&amp;lt;` and `%253C` unwrap too.
 * Only valid escapes are decoded; a lone `%` or `&` stays as it is.
 */

const NAMED: Readonly<Record<string, string>> = {
  lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ', sol: '/', colon: ':', lpar: '(', rpar: ')',
  lsqb: '[', rsqb: ']', excl: '!', num: '#', equals: '=', period: '.', comma: ',', semi: ';', shy: '',
  zwj: '', zwnj: '', lbrack: '[', rbrack: ']', lcub: '{', rcub: '}', bsol: '\\', grave: '`', hyphen: '-',
};

const ENTITY = /&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/g;
const PERCENT = /(?:%[0-9a-fA-F]{2})+/g;
const JS_ESCAPE = /\\u\{([0-9a-fA-F]{1,6})\}|\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|\\([ntr"'\/\\])/g;
const SIMPLE: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '"': '"', "'": "'", '/': '/', '\\': '\\' };

function fromCodePoint(cp: number): string {
  return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
}

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (whole, body: string) => {
    if (body.startsWith('#x') || body.startsWith('#X')) return fromCodePoint(parseInt(body.slice(2), 16)) || whole;
    if (body.startsWith('#')) return fromCodePoint(parseInt(body.slice(1), 10)) || whole;
    return NAMED[body.toLowerCase()] ?? whole;
  });
}

function decodePercent(s: string): string {
  if (!s.includes('%')) return s;
  return s.replace(PERCENT, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

function decodeJsEscapes(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(JS_ESCAPE, (_w, brace?: string, u4?: string, x2?: string, simple?: string) =>
    simple !== undefined ? (SIMPLE[simple] ?? simple) : fromCodePoint(parseInt(brace ?? u4 ?? x2 ?? '0', 16)),
  );
}

export function decodeEscapes(text: string): string {
  let current = text;
  for (let round = 0; round < 4; round++) {
    const next = decodeJsEscapes(decodePercent(decodeEntities(current)));
    if (next === current) break;
    current = next;
  }
  return current;
}
