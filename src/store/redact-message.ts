/**
 * What the event store writes to disk (issue 7, item 14): a copy of the message with every string —
 * values and keys — passed through the injected redaction (configured secrets, then the secret shapes
 * of the secrets detector; store/ may not import detectors/). Redacting strings one by one, rather than
 * the serialised JSON, keeps the stored text valid JSON whatever a pattern matches. A subtree deeper
 * than `MAX_DEPTH` is not walked but replaced by a placeholder: it is dropped, never stored unread.
 */
export type RedactText = (text: string) => string;

/** Deeper than any message the gateway relays (the inspection walker's own limit is lower). */
export const MAX_DEPTH = 128;
export const TOO_DEEP = '[REDACTED:too-deep]';

export function redactMessage(value: unknown, redact: RedactText, depth = 0): unknown {
  if (typeof value === 'string') return redact(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((item) => redactMessage(item, redact, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    Object.defineProperty(out, redact(key), { value: redactMessage(inner, redact, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
