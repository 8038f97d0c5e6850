/**
 * Secrets detector: finds credentials in text crossing the gateway (tool results, resource contents, prompt
 * messages, sampling/elicitation requests, catalog entries and tool-call arguments) and offers a typed
 * placeholder for each, so the policy can redact (issue 4, "secrets in results"; issue 12: list-phase items,
 * where a live credential in a tool description is redacted before the catalog shows it, and outbound
 * arguments, where a credential the model was steered into sending upstream is redacted on the way out).
 *
 * Contract: reads `prose` and `argument` fields in both directions and both phases; matches on `raw`, because
 * secrets are copied literally and the pipeline replaces every occurrence of `match` in the raw field with
 * `replacement`. One finding per distinct secret per field, rule `secrets/<kind>`, replacement
 * `[REDACTED:<kind>]`. Where shapes overlap the earlier entry of SECRET_PATTERNS wins, so a JWT after
 * `Bearer` is reported once, as a JWT. Names are not read: they are never rewritten.
 */
import type { LocalDetector, DetectorContext, Field, RawFinding } from '../pipeline/types.js';
import { sharedBytes } from './text/literal-scan.js';
import { SECRET_PATTERNS, scanAnchors, type Anchors, type SecretPattern, type Span } from './secrets/secret-patterns.js';

interface Hit extends Span {
  pattern: SecretPattern;
}

export function placeholderFor(kind: string): string {
  return `[REDACTED:${kind}]`;
}

function overlaps(span: Span, taken: readonly Span[]): boolean {
  return taken.some((t) => span.start < t.end && t.start < span.end);
}

/** The patterns that run on every text: those without anchors (in table order). */
const UNANCHORED = SECRET_PATTERNS.filter((p) => p.anchors.length === 0);

/**
 * All secrets in one raw string, earlier patterns taking precedence over overlapping later ones. A pattern
 * with anchors finds nothing where the scan recorded none of them (its finder only looks at its own
 * anchors' hits: secret-finders.ts), so it is not called (issue 12, Speed: ~40 calls per short field).
 */
export function findSecrets(raw: string, bytes?: () => Uint8Array): Hit[] {
  let scanned: Anchors | undefined;
  const anchors = (): Anchors => (scanned ??= scanAnchors(raw, bytes));
  const hits: Hit[] = [];
  const { byWord } = anchors();
  const patterns = byWord.size === 0 ? UNANCHORED : SECRET_PATTERNS.filter((p) => p.anchors.length === 0 || p.anchors.some((word) => byWord.has(word)));
  for (const pattern of patterns) {
    for (const span of pattern.find(raw, anchors)) {
      if (!overlaps(span, hits)) hits.push({ ...span, pattern });
    }
  }
  return hits.sort((a, b) => a.start - b.start);
}

/** `raw` with every secret replaced by its placeholder: for text that goes to logs, not through the pipeline (upstream stderr). */
export function redactSecrets(raw: string): string {
  let out = '';
  let at = 0;
  for (const hit of findSecrets(raw)) {
    out += raw.slice(at, hit.start) + placeholderFor(hit.pattern.kind);
    at = hit.end;
  }
  return at === 0 ? raw : out + raw.slice(at);
}

function findingsFor(ctx: DetectorContext, field: Field): RawFinding[] {
  const hits = findSecrets(field.raw, () => sharedBytes(ctx, field.raw));
  if (hits.length === 0) return [];
  const seen = new Set<string>();
  const findings: RawFinding[] = [];
  for (const hit of hits) {
    const match = field.raw.slice(hit.start, hit.end);
    if (seen.has(match)) continue;
    seen.add(match);
    findings.push({
      rule: `secrets/${hit.pattern.kind}`,
      severity: hit.pattern.severity,
      path: field.path,
      reason: hit.pattern.label,
      match,
      replacement: placeholderFor(hit.pattern.kind),
    });
  }
  return findings;
}

export const secretsDetector: LocalDetector = {
  id: 'secrets',
  phase: 'both',
  methods: '*',
  directions: ['to_client', 'to_upstream'],
  capabilities: { redact: SECRET_PATTERNS.map((p) => `secrets/${p.kind}`), complete: 'redact' },
  inspect(ctx: DetectorContext): RawFinding[] {
    return ctx.fields.filter((field) => field.role !== 'name').flatMap((field) => findingsFor(ctx, field));
  },
};
