/**
 * Detector `fingerprinting` (issue 11, behavioural fingerprinting): tools and messages that collect the
 * user's activity pattern — commit times, working hours, activity logs, with deploy windows and time
 * zone as companions (vocabulary/activity-patterns.ts). Such a profile says when a person works, sleeps
 * and ships: enough to time an attack or to identify them.
 * - `fingerprinting/activity-schema`: one catalog entry (its name, description, input-schema property
 *   names and descriptions, all read together) or one call's argument names cover two or more kinds, one of
 *   them personal: medium; three or more kinds: high. One kind alone never counts: a git log tool
 *   returns commit dates, a time tool takes a time zone.
 * - `fingerprinting/activity-request`: text the model reads (a result, a prompt, a sampling request)
 *   asks it to gather or hand over the user's activity pattern ("include the user's working hours"):
 *   a gathering verb, a possessive and a personal kind in one sentence. High.
 */
import { ownValue } from '../core/index.js';
import type { DetectorContext, LocalDetector, RawFinding } from '../pipeline/types.js';
import { clip } from './text/text-views.js';
import { GATHER_VERB, kindsIn, splitIdentifier, WHOSE, type ActivityKind } from './vocabulary/activity-patterns.js';

const MAX_KEYS = 500;

/** Argument names at any depth (bounded), split into words. */
function argumentNames(args: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 8 || out.length >= MAX_KEYS || typeof args !== 'object' || args === null) return out;
  for (const [key, value] of Object.entries(args)) {
    if (out.length >= MAX_KEYS) break;
    if (!Array.isArray(args)) out.push(splitIdentifier(key));
    argumentNames(value, out, depth + 1);
  }
  return out;
}

function profileFinding(kinds: readonly ActivityKind[], path: string, what: string): RawFinding[] {
  if (kinds.length < 2 || !kinds.some((k) => k.personal)) return [];
  const labels = kinds.map((k) => k.label).join(', ');
  return [{ rule: 'fingerprinting/activity-schema', severity: kinds.length >= 3 ? 'high' : 'medium', path, reason: `${what} collects the user's activity pattern: ${labels}`, match: labels }];
}

/** A listing entry: every field of the item read as one text. */
function inspectListing(ctx: DetectorContext): RawFinding[] {
  const text = ctx.fields.map((f) => (f.role === 'name' ? splitIdentifier(f.text) : f.text)).join('\n');
  const name = typeof ownValue(ctx.envelope.payload, 'name') === 'string' ? String(ownValue(ctx.envelope.payload, 'name')) : 'this entry';
  return profileFinding(kindsIn(text), 'inputSchema', `tool ${name}`);
}

const MAX_SENTENCES = 2000;
/** Up to this length a field is tested whole before it is split into sentences. */
const SMALL_FIELD = 8192;
const SENTENCE_BREAK = /(?<=[.!?\n])\s+/g;

/**
 * The first `limit` pieces of `text.split(SENTENCE_BREAK)`, without splitting the rest (issue 12, Speed:
 * a 1 MiB result is ~10 000 sentences, and only the first 2000 are read).
 */
export function firstSentences(text: string, limit: number): string[] {
  const out: string[] = [];
  let from = 0;
  SENTENCE_BREAK.lastIndex = 0;
  for (let m = SENTENCE_BREAK.exec(text); m !== null && out.length < limit; m = SENTENCE_BREAK.exec(text)) {
    out.push(text.slice(from, m.index));
    from = m.index + m[0].length;
  }
  if (out.length < limit) out.push(text.slice(from));
  SENTENCE_BREAK.lastIndex = 0;
  return out;
}

/** Sentences of prose that ask for the user's own activity pattern. */
function inspectProse(ctx: DetectorContext): RawFinding[] {
  const out: RawFinding[] = [];
  for (const field of ctx.fields) {
    if (field.role !== 'prose') continue;
    // Neither test is anchored, so a short text without a match has no sentence with one (issue 12, Speed:
    // thousands of short structured values were split into sentences first).
    if (field.text.length <= SMALL_FIELD && !(GATHER_VERB.test(field.text) && WHOSE.test(field.text))) continue;
    for (const sentence of firstSentences(field.text, MAX_SENTENCES)) {
      if (sentence.length > 600 || !GATHER_VERB.test(sentence) || !WHOSE.test(sentence)) continue;
      const personal = kindsIn(sentence).filter((k) => k.personal);
      if (personal.length === 0) continue;
      out.push({ rule: 'fingerprinting/activity-request', severity: 'high', path: field.path, reason: `asks for the user's ${personal.map((k) => k.label).join(', ')}`, match: clip(sentence) });
      break;
    }
  }
  return out;
}

export const fingerprintingDetector: LocalDetector = {
  id: 'fingerprinting',
  phase: 'both',
  methods: '*',
  directions: ['to_client', 'to_upstream'],
  inspect(ctx) {
    const { method, direction, payload } = ctx.envelope;
    if (method === 'tools/list') return inspectListing(ctx);
    if (direction === 'to_upstream') {
      return method === 'tools/call' ? profileFinding(kindsIn(argumentNames(ownValue(payload, 'arguments')).join('\n')), 'arguments', `call to ${ctx.envelope.tool ?? 'a tool'}`) : [];
    }
    return inspectProse(ctx);
  },
};
