/**
 * Judgements on a candidate secret value once a pattern has matched its shape: is it a documented example or a
 * placeholder, is it random enough to be a credential, does a JWT header really decode to a JOSE header?
 * Kept apart from the pattern table so each check is tested on its own and shared by several patterns.
 *
 * Why these checks exist: issue 4 requires documented examples (`AKIAIOSFODNN7EXAMPLE`, `xxxx` placeholders,
 * `<your-key>`) to pass, and the previous implementation flagged hashes and UUIDs; shape plus one of these
 * checks keeps the secrets detector quiet on them without a list of known strings.
 */

/** Markers of documentation placeholders rather than live credentials. */
const PLACEHOLDER = /example|x{4}|\.\.\.|<[^>]{0,40}>|\*{3}|your[_-]|placeholder|redacted|dummy|changeme/i;

/** Values that are references to a secret stored elsewhere, not the secret itself. */
const REFERENCE = /^(?:\$|%|@|\{\{|\[|process\.env|os\.environ|env\.|secrets\.|vault:|arn:)/i;

/** Passwords in DB URLs that documentation uses verbatim. */
const DOC_PASSWORDS = /^(?:password|passwd|pass|pwd|secret|changeme|example|mypassword|yourpassword|pw|x+|\*+|\.\.\.)$/i;

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value) || /(.)\1{7}/.test(value);
}

export function isReference(value: string): boolean {
  return REFERENCE.test(value);
}

export function isDocumentationPassword(value: string): boolean {
  return DOC_PASSWORDS.test(value) || isReference(value) || isPlaceholder(value);
}

/**
 * Shannon entropy in bits per character. ASCII values count in a typed array and sum in order of first
 * occurrence, exactly as the Map below iterates (so the same bits, to the last one): the flow detector and
 * the secrets rules ask for thousands of tokens per large result (issue 12, Speed).
 */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Int32Array(128);
  const order: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128) return entropyOfAnyText(value);
    if (counts[c]!++ === 0) order.push(c);
  }
  let bits = 0;
  for (const c of order) {
    const p = (counts[c] as number) / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** The definition, by code point. */
export function entropyOfAnyText(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** How many of lower case, upper case, digits and other characters the value uses. */
export function characterClasses(value: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
}

/** Mixed-case alphanumeric with digits: the shape of vendor keys (rules out slugs and words). */
export function isMixedAlphanumeric(value: string): boolean {
  return /[a-z]/.test(value) && /[A-Z]/.test(value) && /[0-9]/.test(value);
}

/** A value random enough to be a credential: long, varied and not a placeholder or reference. */
export function isHighEntropySecret(value: string): boolean {
  if (value.length < 10 || isPlaceholder(value) || isReference(value)) return false;
  if (value.includes('://') || /^[./~]/.test(value)) return false; // URLs and paths
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)) return false; // dotted identifiers (code)
  const entropy = shannonEntropy(value);
  const classes = characterClasses(value);
  if (classes >= 3 && entropy >= 3) return true;
  return value.length >= 20 && classes >= 2 && /[0-9]/.test(value) && entropy >= 3.5;
}

/** A bearer credential: long enough, with digits and letters, not a word or a placeholder. */
export function isTokenLike(value: string): boolean {
  if (isPlaceholder(value) || isReference(value)) return false;
  return /[0-9]/.test(value) && /[A-Za-z]/.test(value) && shannonEntropy(value) >= 3;
}

/** True when the first dot-separated part decodes to a JSON object with a string `alg` (a JOSE header). */
export function hasJoseHeader(token: string): boolean {
  const header = token.slice(0, token.indexOf('.'));
  try {
    const json: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    return typeof json === 'object' && json !== null && typeof (json as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}

/** A PEM body carries key material when it holds a long base64 run (templates hold `...` or prose). */
export function hasKeyMaterial(pem: string): boolean {
  const compact = pem.replace(/\\[nr]|\s/g, '');
  return /[A-Za-z0-9+/]{64}/.test(compact);
}
