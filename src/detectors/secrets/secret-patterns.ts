/**
 * The table of secret shapes the secrets detector looks for, in priority order: when two patterns match
 * overlapping text (a JWT after `Bearer`, a key inside `api_key=`, a service-account key that is also a
 * PEM key), the earlier entry wins. Vendor prefixes come from secret-vendor-patterns.ts; labelled shapes
 * (a value after `password=`, `AccountKey=`, `DD_API_KEY=`) come last, so a vendor key assigned to a
 * secret-named key is reported once, as the vendor key.
 *
 * Contract: each entry names its `kind` (rule `secrets/<kind>`, placeholder `[REDACTED:<kind>]`), its severity,
 * its anchors and a `find` returning the spans of the secret inside the raw text (see secret-finders.ts).
 * Labelled high-entropy values are `high` (issue 12: redacted by default, like every other secret).
 */
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
import { compileLiterals, scanLongest, scanLongestBytes, SHARE_BYTES_ABOVE } from '../text/literal-scan.js';
import {
  atKeyword, atPrefix, byKeyword, byPrefix, MAX_MATCHES, notPlaceholder, schemeStart, withPrefix,
  type Accept, type AnchorHit, type Anchors, type SecretPattern, type Span,
} from './secret-finders.js';
import { VENDOR_PATTERNS } from './secret-vendor-patterns.js';

export type { AnchorHit, Anchors, SecretPattern, Span };

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

/** A GCP service-account file: its PEM key and key id are the secret, once `"type": "service_account"` is present. */
const GCP_KEY = /"private_key"\s{0,4}:\s{0,4}"(?<s>-----BEGIN PRIVATE KEY-----(?:[^"\\]|\\.){64,16384}?-----END PRIVATE KEY-----)/dg;
const GCP_KEY_ID = /"private_key_id"\s{0,4}:\s{0,4}"(?<s>[a-f0-9]{40})"/dg;
function findServiceAccountKeys(raw: string, anchors: () => Anchors): Span[] {
  if (!anchors().seen.has('service_account')) return [];
  const spans: Span[] = [];
  for (const re of [GCP_KEY_ID, GCP_KEY]) {
    for (const m of raw.matchAll(re)) {
      const [start, end] = m.indices?.groups?.['s'] ?? [0, 0];
      const value = raw.slice(start, end);
      if (re === GCP_KEY ? hasKeyMaterial(value) : shannonEntropy(value) >= 3) spans.push({ start, end });
      if (spans.length >= MAX_MATCHES) break;
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** Azure's storage emulator key is published in Microsoft's documentation; its account is `devstoreaccount1`. */
const acceptAzureKey: Accept = (secret, m) => {
  const at = m.index ?? 0;
  const around = m.input?.slice(Math.max(0, at - 300), at + m[0].length + 300) ?? '';
  return !isPlaceholder(secret) && shannonEntropy(secret) >= 4 && !/devstoreaccount1|UseDevelopmentStorage/i.test(around);
};

const CORE_PATTERNS: readonly SecretPattern[] = [
  { kind: 'gcp-service-account', severity: 'critical', label: 'GCP service-account key', anchors: ['service_account'], find: findServiceAccountKeys },
  { kind: 'private-key', severity: 'critical', label: 'PEM private key', anchors: ['private key'], find: findPrivateKeys },
  {
    kind: 'jwt',
    severity: 'high',
    label: 'JSON Web Token',
    anchors: ['eyj'],
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
    anchors: ['sk-'],
    find: atPrefix(['sk-'], /(?<![A-Za-z0-9_-])sk-ant-[a-z]{2,10}[0-9]{0,3}-[A-Za-z0-9_-]{32,250}(?![A-Za-z0-9_-])/g, notPlaceholder),
  },
  {
    kind: 'openai-api-key',
    severity: 'high',
    label: 'OpenAI API key',
    anchors: ['sk-'],
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
    anchors: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
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
    anchors: ['_live_'],
    find: byPrefix(['_live_'], /(?<![A-Za-z0-9_])(?:sk|rk)_live_[A-Za-z0-9]{20,250}(?![A-Za-z0-9_])/g, notPlaceholder),
  },
  {
    kind: 'slack-webhook',
    severity: 'high',
    label: 'Slack webhook URL',
    anchors: ['hooks.slack.com'],
    find: byPrefix(['hooks.slack.com'], /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{20,250}/g, notPlaceholder),
  },
  {
    kind: 'slack-token',
    severity: 'high',
    label: 'Slack token',
    anchors: ['xox'],
    find: atPrefix(['xox'], /(?<![A-Za-z0-9_-])xox[abprs]-[A-Za-z0-9-]{10,250}(?![A-Za-z0-9_-])/g, (s) => !isPlaceholder(s) && /[0-9]/.test(s)),
  },
  {
    kind: 'google-api-key',
    severity: 'high',
    label: 'Google API key',
    anchors: ['aiza'],
    find: atPrefix(['AIza'], /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g, notPlaceholder),
  },
  {
    kind: 'aws-access-key',
    severity: 'high',
    label: 'AWS access key id',
    anchors: ['akia', 'asia'],
    find: atPrefix(['AKIA', 'ASIA'], /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/g, notPlaceholder),
  },
];

const LABELLED_PATTERNS: readonly SecretPattern[] = [
  {
    kind: 'datadog-key',
    severity: 'high',
    label: 'Datadog API or application key',
    anchors: ['key'],
    find: byKeyword(
      ['key'],
      withPrefix(/(?<![A-Za-z0-9])(?:dd|datadog)[_-]?(?:api|app(?:lication)?)[_-]?$/i, true, 24),
      /(?:dd|datadog)[_-]?(?:api|app(?:lication)?)[_-]?key["']?\s{0,4}[:=]\s{0,4}["']?(?<s>[a-f0-9]{40}|[a-f0-9]{32})(?![A-Za-z0-9])/dyi,
      (s) => !isPlaceholder(s) && shannonEntropy(s) >= 3,
    ),
  },
  {
    kind: 'azure-storage-key',
    severity: 'high',
    label: 'Azure storage account key',
    anchors: ['key'],
    find: byKeyword(
      ['key'],
      withPrefix(/(?:account|storage)[_-]?$/i, true),
      /(?:account|storage)[_-]?key["']?\s{0,4}[:=]\s{0,4}["']?(?<s>[A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])/dyi,
      acceptAzureKey,
    ),
  },
  {
    kind: 'azure-shared-access-key',
    severity: 'high',
    label: 'Azure Service Bus / Event Hubs / IoT Hub shared access key',
    anchors: ['key'],
    find: byKeyword(
      ['key'],
      withPrefix(/SharedAccess$/i, true),
      /SharedAccessKey\s{0,2}=\s{0,2}(?<s>[A-Za-z0-9+/]{42,43}=)(?![A-Za-z0-9+/=])/dyi,
      acceptAzureKey,
    ),
  },
  {
    kind: 'aws-secret-key',
    severity: 'high',
    label: 'AWS secret access key',
    anchors: ['secret'],
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
    anchors: ['://'],
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
    anchors: ['bearer', 'authorization'],
    find: byKeyword(
      ['bearer', 'authorization'],
      atKeyword,
      /(?:(?<![A-Za-z0-9])bearer|authorization["']?\s{0,4}[:=]\s{0,4}["']?(?:basic|token))\s{1,4}(?<s>[A-Za-z0-9._~+/-]{16,4096}=*)(?![A-Za-z0-9._~+/=-])/dyi,
      (s) => isTokenLike(s),
    ),
  },
  {
    kind: 'generic-secret',
    severity: 'high',
    label: 'high-entropy value assigned to a secret-named key',
    anchors: ['pass', 'pwd', 'secret', 'token', 'credential', 'key'],
    find: byKeyword(['pass', 'pwd', 'secret', 'token', 'credential', 'key'], genericStart, GENERIC, acceptGeneric),
  },
];

export const SECRET_PATTERNS: readonly SecretPattern[] = [...CORE_PATTERNS, ...VENDOR_PATTERNS, ...LABELLED_PATTERNS];

/**
 * Every anchor of every pattern, in one table: one case-insensitive scan per field tells each pattern whether
 * (prefix patterns) and where (keyword patterns) it can match. At each position the longest anchor there is
 * reported and hits do not overlap: what an alternation of the anchors, longest first, finds with `/gi`
 * (literal-scan.test.ts checks this), with the literal scanner of literal-scan.ts (the regex cost ~4.5 ms on 1 MiB).
 */
export const SECRET_ANCHORS: readonly string[] = [...new Set(SECRET_PATTERNS.flatMap((p) => p.anchors))];
const ANCHOR_TABLE = compileLiterals(SECRET_ANCHORS);

/** The scan of a text holding no anchor (shared: nothing reads it but to find it empty). */
const NO_ANCHORS: Anchors = Object.freeze({ hits: Object.freeze([]), byWord: new Map<string, readonly AnchorHit[]>(), seen: new Set<string>() });

/** `bytes` gives `asciiBytes(raw)` when the caller shares them (used for a large text only). */
export function scanAnchors(raw: string, bytes?: () => Uint8Array): Anchors {
  const found = bytes && raw.length > SHARE_BYTES_ABOVE ? scanLongestBytes(bytes(), ANCHOR_TABLE) : scanLongest(raw, ANCHOR_TABLE);
  if (found.at.length === 0) return NO_ANCHORS;
  const hits: AnchorHit[] = [];
  const byWord = new Map<string, AnchorHit[]>();
  const seen = new Set<string>();
  let resumeAt = 0;
  for (let i = 0; i < found.at.length; i++) {
    const index = found.at[i] ?? 0;
    const word = ANCHOR_TABLE.words[found.word[i] ?? 0] ?? '';
    if (index < resumeAt) continue;
    resumeAt = index + word.length;
    const hit = { index, word };
    hits.push(hit);
    const list = byWord.get(word);
    if (list) list.push(hit);
    else byWord.set(word, [hit]);
    seen.add(raw.slice(index, resumeAt));
  }
  return { hits, byWord, seen };
}
