/**
 * The table of secret shapes the secrets detector looks for, in priority order: when two patterns match
 * overlapping text (a JWT after `Bearer`, a key inside `api_key=`), the earlier entry wins.
 *
 * Contract: each entry names its `kind` (rule `secret.<kind>`, placeholder `[REDACTED:<kind>]`), its severity
 * and a `find` returning the spans of the secret inside the raw text. When a regex has a named group `s`,
 * only that group is the secret (the label before it stays visible).
 *
 * Why one shared anchor scan: each scan of a 1 MiB result costs 0.2–5 ms here (case-insensitive keyword
 * alternations the most), and issue 4 gives the whole pipeline 20 ms. So one scan finds every anchor: vendor
 * prefixes (`AKIA`, `ghp_`, `eyJ`) gate their pattern's global regex, and keywords (`password`, `Bearer`,
 * `://`) place a sticky regex exactly where a labelled secret could start. Regexes use bounded
 * quantifiers over character classes that cannot overlap their neighbours, so matching stays linear
 * (1 MiB results, issue 4's 20 ms pipeline budget).
 */
import type { Severity } from '../core/index.js';
import {
  hasJoseHeader,
  hasKeyMaterial,
  isDocumentationPassword,
  isHighEntropySecret,
  isMixedAlphanumeric,
  isPlaceholder,
  isTokenLike,
  shannonEntropy,
} from './secret-values.js';
import { asciiBytes, compileLiterals, scanLongest } from './literal-scan.js';

export interface Span {
  start: number;
  end: number;
}

/** An anchor occurrence found by the shared scan: its index in the raw text and the anchor, lower-cased. */
export interface AnchorHit {
  index: number;
  word: string;
}

/** The shared scan of one raw text: every hit in order, and the set of anchors as written (case kept). */
export interface Anchors {
  hits: readonly AnchorHit[];
  seen: ReadonlySet<string>;
}

export interface SecretPattern {
  kind: string;
  severity: Severity;
  /** Short human description used in the finding's reason. */
  label: string;
  /** `anchors` lazily returns the shared anchor scan of this raw text (computed once per field). */
  find(raw: string, anchors: () => Anchors): Span[];
}

/**
 * Every literal a pattern hangs on, vendor prefixes and secret keywords alike: one case-insensitive scan per field
 * tells each pattern whether (prefix patterns) and where (keyword patterns) it can match. Prefix patterns
 * compare their hint case-sensitively at the hit. The scan finds what
 * `/private key|eyj|sk-|gh[pousr]_|github_pat_|_live_|hooks\.slack\.com|xox|aiza|akia|asia|pass|pwd|secret|key|token|credential|bearer|authorization|:\/\//gi`
 * finds (no two of these start alike, so at most one matches at a position; matches do not overlap), with the
 * byte scanner of literal-scan.ts: the regex cost ~4.5 ms on 1 MiB.
 */
const ANCHOR_TABLE = compileLiterals([
  'private key', 'eyj', 'sk-', 'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_', '_live_', 'hooks.slack.com', 'xox', 'aiza', 'akia',
  'asia', 'pass', 'pwd', 'secret', 'key', 'token', 'credential', 'bearer', 'authorization', '://',
]);

/** `bytes` are `asciiBytes(raw)`, passed in when the caller already has them. */
export function scanAnchors(raw: string, bytes: Uint8Array = asciiBytes(raw)): Anchors {
  const hits: AnchorHit[] = [];
  const seen = new Set<string>();
  const found = scanLongest(bytes, ANCHOR_TABLE);
  let resumeAt = 0;
  for (let i = 0; i < found.at.length; i++) {
    const index = found.at[i] ?? 0;
    const word = ANCHOR_TABLE.words[found.word[i] ?? 0] ?? '';
    if (index < resumeAt) continue;
    resumeAt = index + word.length;
    hits.push({ index, word });
    seen.add(raw.slice(index, resumeAt));
  }
  return { hits, seen };
}

/** Most matches one pattern reports per field; bounds the work on adversarial 1 MiB inputs. */
const MAX_MATCHES = 1000;

/** Decides whether a shape match is a live secret; `m` gives the named groups and the text after the match. */
type Accept = (secret: string, m: RegExpMatchArray, end: number) => boolean;

function spanOf(m: RegExpMatchArray): Span {
  const group = m.indices?.groups?.['s'];
  const index = m.index ?? 0;
  const [start, end] = group ?? [index, index + m[0].length];
  return { start, end };
}

/**
 * A vendor-prefixed shape: a global regex (`d` flag when it has a group `s`) run when one of the
 * case-sensitive `hints` occurs at an anchor hit.
 */
function byPrefix(hints: readonly string[], regex: RegExp, accept: Accept = () => true): SecretPattern['find'] {
  return (raw, anchors) => {
    const spans: Span[] = [];
    const { seen } = anchors();
    if (!hints.some((hint) => seen.has(hint))) return spans;
    for (const m of raw.matchAll(regex)) {
      const span = spanOf(m);
      if (accept(raw.slice(span.start, span.end), m, span.end)) spans.push(span);
      if (spans.length >= MAX_MATCHES) break;
    }
    return spans;
  };
}

/**
 * A vendor-prefixed shape whose every match starts with one of the hints (right after a lookbehind that
 * rules out a word character before it): a sticky copy of the regex is tried only at the anchor hits where
 * a hint is written, which finds the same matches as the global regex without a pass over the whole text.
 * Every such hint occurrence is a hit: an anchor covering it would have to hold a non-word character
 * followed by the hint's first character, and none does (` k`, `.s`, `.c`, `_p`, `_l`).
 */
function atPrefix(hints: readonly string[], regex: RegExp, accept: Accept = () => true): SecretPattern['find'] {
  const sticky = new RegExp(regex.source, `${regex.flags.replace('g', '')}y`);
  return (raw, anchors) => {
    const spans: Span[] = [];
    let resumeAt = 0;
    for (const hit of anchors().hits) {
      if (hit.index < resumeAt || !hints.some((hint) => raw.startsWith(hint, hit.index))) continue;
      sticky.lastIndex = hit.index;
      const m = sticky.exec(raw);
      if (m === null) continue;
      resumeAt = hit.index + m[0].length;
      const span = spanOf(m);
      if (accept(raw.slice(span.start, span.end), m, span.end)) spans.push(span);
      if (spans.length >= MAX_MATCHES) break;
    }
    return spans;
  };
}

/**
 * A labelled shape: for each keyword hit in `words`, `startAt` says where a match would begin (or undefined to
 * skip the hit) and a sticky regex (`y` flag) is tried there.
 */
function byKeyword(
  words: readonly string[],
  startAt: (raw: string, hit: AnchorHit) => number | undefined,
  sticky: RegExp,
  accept: Accept,
): SecretPattern['find'] {
  return (raw, anchors) => {
    const spans: Span[] = [];
    let resumeAt = 0;
    for (const hit of anchors().hits) {
      if (hit.index < resumeAt || !words.includes(hit.word)) continue;
      const start = startAt(raw, hit);
      if (start === undefined) continue;
      sticky.lastIndex = start;
      const m = sticky.exec(raw);
      if (m === null) continue;
      resumeAt = start + m[0].length;
      const span = spanOf(m);
      if (accept(raw.slice(span.start, span.end), m, span.end)) spans.push(span);
      if (spans.length >= MAX_MATCHES) break;
    }
    return spans;
  };
}

/** Start a match at the keyword itself. */
const atKeyword = (_raw: string, hit: AnchorHit): number => hit.index;

/** Start a match at the keyword, or earlier when the text just before it matches `prefix` (anchored at `$`). */
function withPrefix(prefix: RegExp, required: boolean) {
  return (raw: string, hit: AnchorHit): number | undefined => {
    const before = raw.slice(Math.max(0, hit.index - 12), hit.index);
    const m = prefix.exec(before);
    if (m === null) return required ? undefined : hit.index;
    return hit.index - m[0].length;
  };
}

function isSchemeChar(code: number): boolean {
  const lower = code | 0x20;
  return (lower >= 0x61 && lower <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2b || code === 0x2d || code === 0x2e;
}

/** A URL scheme ends where `://` begins; walk back over scheme characters (`[A-Za-z0-9+.-]`) to its start. */
function schemeStart(raw: string, hit: AnchorHit): number | undefined {
  let i = hit.index;
  while (i > 0 && hit.index - i < 40 && isSchemeChar(raw.charCodeAt(i - 1))) i -= 1;
  return i === hit.index ? undefined : i;
}

const notPlaceholder: Accept = (secret) => !isPlaceholder(secret);

const PEM_BEGIN = /-----BEGIN ((?:[A-Z0-9]{1,12} ){0,3}PRIVATE KEY(?: BLOCK)?)-----/g;
/** A PEM body when the END line is missing (truncated output): base64, header lines, escaped newlines. */
const PEM_BODY = /(?:[A-Za-z0-9+/=\s\\:,.]|-(?!----)){0,65536}/y;
const PEM_MAX = 65536;

/** Private keys are matched whole, BEGIN line through END line, so the redaction removes the body too. */
function findPrivateKeys(raw: string, anchors: () => Anchors): Span[] {
  const spans: Span[] = [];
  if (!anchors().seen.has('PRIVATE KEY')) return spans;
  for (const m of raw.matchAll(PEM_BEGIN)) {
    const start = m.index;
    const afterBegin = start + m[0].length;
    const endMarker = `-----END ${m[1] ?? ''}-----`;
    const endAt = raw.indexOf(endMarker, afterBegin);
    let end: number;
    if (endAt !== -1 && endAt - afterBegin <= PEM_MAX) {
      end = endAt + endMarker.length;
    } else {
      PEM_BODY.lastIndex = afterBegin;
      const body = PEM_BODY.exec(raw);
      end = afterBegin + (body?.[0].trimEnd().length ?? 0);
    }
    if (hasKeyMaterial(raw.slice(afterBegin, end))) spans.push({ start, end });
    if (spans.length >= MAX_MATCHES) break;
  }
  return spans;
}

/** Key names whose values are about a secret rather than the secret (`token_url`, `password_hint`). */
const NON_SECRET_KEY_SUFFIX =
  /(?:url|uri|endpoint|type|name|file|path|length|len|count|expiry|expires|expires_in|hint|field|prompt|policy|reset|header|param|usage|limit|id|ttl|format|mode|kind|label|min|max|required|hash|digest|tokens)$/i;

const GENERIC =
  /(?<![A-Za-z0-9])(?<key>(?:password|passwd|passphrase|pwd|secret|api[_-]?key|apikey|access[_-]?key|auth[_-]?key|private[_-]?key|token|credentials?)[A-Za-z0-9_-]{0,20})["']?\s{0,4}[:=]\s{0,4}["']?(?<s>[^\s"'`,;<>(){}[\]]{8,256})/dyi;

/** `key` only counts after `api`, `access`, `auth` or `private`; the other keywords start a key name themselves. */
const keyPrefix = withPrefix(/(?:api|access|auth|private)[_-]?$/i, true);
function genericStart(raw: string, hit: AnchorHit): number | undefined {
  return hit.word === 'key' ? keyPrefix(raw, hit) : hit.index;
}

const acceptGeneric: Accept = (secret, m, end) => {
  if (m.input?.[end] === '(' || !isHighEntropySecret(secret)) return false; // a function call, not a value
  const key = m.groups?.['key'] ?? '';
  return !NON_SECRET_KEY_SUFFIX.test(key.replace(/^(?:password|passwd|passphrase|pwd|secret|token|credential)/i, ''));
};

export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { kind: 'private-key', severity: 'critical', label: 'PEM private key', find: findPrivateKeys },
  {
    kind: 'jwt',
    severity: 'high',
    label: 'JSON Web Token',
    find: atPrefix(
      ['eyJ'],
      /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,4096}\.[A-Za-z0-9_-]{2,16384}\.[A-Za-z0-9_-]{16,4096}(?![A-Za-z0-9_-])/g,
      (s) => hasJoseHeader(s),
    ),
  },
  {
    kind: 'anthropic-api-key',
    severity: 'high',
    label: 'Anthropic API key',
    find: atPrefix(
      ['sk-'],
      /(?<![A-Za-z0-9_-])sk-ant-[a-z]{2,10}[0-9]{0,3}-[A-Za-z0-9_-]{32,250}(?![A-Za-z0-9_-])/g,
      notPlaceholder,
    ),
  },
  {
    kind: 'openai-api-key',
    severity: 'high',
    label: 'OpenAI API key',
    find: atPrefix(
      ['sk-'],
      /(?<![A-Za-z0-9_-])sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,250}(?![A-Za-z0-9_-])/g,
      (s) => !isPlaceholder(s) && isMixedAlphanumeric(s),
    ),
  },
  {
    kind: 'github-token',
    severity: 'high',
    label: 'GitHub token',
    find: atPrefix(
      ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
      /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{50,250})(?![A-Za-z0-9_])/g,
      notPlaceholder,
    ),
  },
  {
    kind: 'stripe-key',
    severity: 'high',
    label: 'Stripe live secret key',
    find: byPrefix(['_live_'], /(?<![A-Za-z0-9_])(?:sk|rk)_live_[A-Za-z0-9]{20,250}(?![A-Za-z0-9_])/g, notPlaceholder),
  },
  {
    kind: 'slack-webhook',
    severity: 'high',
    label: 'Slack webhook URL',
    find: byPrefix(
      ['hooks.slack.com'],
      /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{20,250}/g,
      notPlaceholder,
    ),
  },
  {
    kind: 'slack-token',
    severity: 'high',
    label: 'Slack token',
    find: atPrefix(
      ['xox'],
      /(?<![A-Za-z0-9_-])xox[abprs]-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9_-])/g,
      (s) => !isPlaceholder(s) && /[0-9]/.test(s),
    ),
  },
  {
    kind: 'google-api-key',
    severity: 'high',
    label: 'Google API key',
    find: atPrefix(['AIza'], /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g, notPlaceholder),
  },
  {
    kind: 'aws-access-key',
    severity: 'high',
    label: 'AWS access key id',
    find: atPrefix(['AKIA', 'ASIA'], /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g, notPlaceholder),
  },
  {
    kind: 'aws-secret-key',
    severity: 'high',
    label: 'AWS secret access key',
    find: byKeyword(
      ['secret'],
      withPrefix(/aws[_ .-]?$/i, false),
      /(?<![A-Za-z0-9])(?:aws[_ .-]?secret[_ .-]?(?:access[_ .-]?)?key|secret[_ .-]?access[_ .-]?key)["']?\s{0,4}[:=]\s{0,4}["']?(?<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/dyi,
      (s) => !isPlaceholder(s) && shannonEntropy(s) >= 3.5,
    ),
  },
  {
    kind: 'database-url',
    severity: 'high',
    label: 'database URL with a password',
    // passwords often carry unencoded `#` or `?`; the required `@` after them keeps the match bounded
    find: byKeyword(
      ['://'],
      schemeStart,
      /(?<![A-Za-z0-9+.-])(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|cockroachdb|clickhouse)(?:\+[a-z0-9]{1,20})?:\/\/[^\s:/?#@"'<>]{0,256}:(?<pw>[^\s/@"'<>]{1,256})@[^\s/?#"'<>]{1,256}/dyi,
      (_url, m) => !isDocumentationPassword(m.groups?.['pw'] ?? ''),
    ),
  },
  {
    kind: 'bearer-token',
    severity: 'high',
    label: 'bearer token',
    find: byKeyword(
      ['bearer', 'authorization'],
      atKeyword,
      /(?:(?<![A-Za-z0-9])bearer|authorization["']?\s{0,4}[:=]\s{0,4}["']?(?:basic|token))\s{1,4}(?<s>[A-Za-z0-9._~+/-]{16,4096}=*)(?![A-Za-z0-9._~+/=-])/dyi,
      (s) => isTokenLike(s),
    ),
  },
  {
    kind: 'generic-secret',
    severity: 'medium',
    label: 'high-entropy value assigned to a secret-named key',
    find: byKeyword(['pass', 'pwd', 'secret', 'token', 'credential', 'key'], genericStart, GENERIC, acceptGeneric),
  },
];
