/**
 * Detector `encoded-payloads`: base64/hex/Ascii85 runs whose decoded bytes are readable text are rescanned
 * by the other text detectors (hidden-content, model-instructions, credential-seeking, exfiltration);
 * what they find is reported one severity higher, because encoding an instruction is itself evasion.
 * Runs of any alphabet that only decode when the message's fields are joined (a payload split across
 * several fields, split-fragments.ts) are tried too. Readable decoded text alone is at most medium, and undecodable high-entropy text is
 * never reported: entropy is only a supporting signal (issue 4).
 */
import type { DetectorContext, Field, LocalDetector, RawFinding } from '../pipeline/types.js';
import { normalise } from '../pipeline/normalise.js';
import { clip, raise, strongestPerRule } from './text/text-views.js';
import { compileTriggers, matchInWindows, mayMatch, sharedScan, windowsFor, type Triggered } from './text/trigger-windows.js';
import { DECODE_HINT_TRIGGERS } from './vocabulary/trigger-vocabulary.js';
import { candidateRuns, decodeAll, type EncodedRun } from './shapes/encoded-runs.js';
import { joinedFragments } from './shapes/split-fragments.js';
import { sharedBytes } from './text/literal-scan.js';
import { hiddenContentDetector } from './hidden-content.js';
import { modelInstructionsDetector } from './model-instructions.js';
import { credentialSeekingDetector } from './credential-seeking.js';
import { exfiltrationDetector } from './exfiltration.js';
import { scoreHidden } from './hidden/hidden-signals.js';

/** The text detectors decoded runs are rescanned with, as the root configured them (exfiltration's allow-list). */
export const DEFAULT_RESCANNERS: readonly LocalDetector[] = [hiddenContentDetector, modelInstructionsDetector, credentialSeekingDetector, exfiltrationDetector];
const FOLLOW_HINT = /\b(?:decode|base64|hex|encoded)\b[^.\n]{0,40}?\b(?:and|then)\s{1,3}(?:follow|execute|run|obey|do|apply|perform)\b/gi;
const HINT: Triggered = { re: FOLLOW_HINT, triggers: DECODE_HINT_TRIGGERS };
const HINT_TRIGGERS = compileTriggers([HINT]);
/** Decoded documents this long are file contents the user asked for, not smuggled notes. */
const DOCUMENT_LENGTH = 2000;

function rescan(rescanners: readonly LocalDetector[], ctx: DetectorContext, path: string, run: EncodedRun): RawFinding[] {
  const { text, hidden } = normalise(run.decoded);
  const field: Field = { path, role: 'prose', raw: run.decoded, text, hidden };
  const sub: DetectorContext = { ...ctx, fields: [field] };
  const inner = rescanners.flatMap((d) => d.inspect(sub));
  // A short encoded note is evasion (one step up); a decoded document is data the user asked for.
  const document = run.encoded.length >= DOCUMENT_LENGTH;
  const out: RawFinding[] = inner.map((f) => ({
    rule: 'encoded-payloads/decoded-instructions',
    severity: document ? f.severity : raise(f.severity),
    path,
    reason: `${run.kind} text decodes to: ${f.reason}`,
    match: clip(run.encoded),
  }));
  if (out.length === 0 && !document && scoreHidden(run.decoded).signals.length > 0) out.push(decodedText(path, run));
  return out;
}

function hintFindings(ctx: DetectorContext, field: Field): RawFinding[] {
  const scan = sharedScan(ctx, field.text);
  if (!mayMatch(HINT_TRIGGERS, scan)) return [];
  const windows = windowsFor(field.text, HINT_TRIGGERS, [HINT], scan).get(HINT) ?? [];
  return matchInWindows(FOLLOW_HINT, field.text, windows, 1).map((m) => ({
    rule: 'encoded-payloads/decode-and-follow',
    severity: 'high' as const,
    path: field.path,
    reason: 'asks the model to decode and follow encoded text',
    match: clip(m[0]),
  }));
}

/** Between decoded runs joined for one rescan: a blank line, so no line-bound shape spans two runs. */
const SEPARATOR = '\n\n\n';

/**
 * Decoded runs of one field, rescanned: first all of them joined into one text, which the rescanners read
 * in one pass (a large text scans by trigger windows; a thousand small ones each ran every pattern whole,
 * ~80 ms on 1 MiB of README with base64 beside each paragraph, issue 12 Speed). Only when the joined
 * text holds a finding is each run rescanned alone, to tell which run it came from and whether that run
 * is a document. Matches are bounded and do not reach across the blank lines between runs, so a joined
 * text without findings means no run has any; a match that does straddle two runs only costs the
 * per-run pass. Without findings, the first short run whose text carries hidden-text signals is reported
 * as readable decoded text (one finding per field is kept anyway).
 */
function rescanRuns(rescanners: readonly LocalDetector[], ctx: DetectorContext, path: string, runs: readonly EncodedRun[]): RawFinding[] {
  if (runs.length === 0) return [];
  if (runs.length > 1) {
    const joined = runs.map((r) => r.decoded).join(SEPARATOR);
    const { text, hidden } = normalise(joined);
    const sub: DetectorContext = { ...ctx, fields: [{ path, role: 'prose', raw: joined, text, hidden }] };
    if (!rescanners.some((d) => d.inspect(sub).length > 0)) {
      const noted = runs.find((r) => r.encoded.length < DOCUMENT_LENGTH && scoreHidden(r.decoded).signals.length > 0);
      return noted ? [decodedText(path, noted)] : [];
    }
  }
  return runs.flatMap((run) => rescan(rescanners, ctx, path, run));
}

function decodedText(path: string, run: EncodedRun): RawFinding {
  const signals = scoreHidden(run.decoded).signals;
  return { rule: 'encoded-payloads/decoded-text', severity: 'medium', path, reason: `${run.kind} text decodes to ${signals.join(', ')}`, match: clip(run.encoded) };
}

export function createEncodedPayloadsDetector(rescanners: readonly LocalDetector[] = DEFAULT_RESCANNERS): LocalDetector {
  return { ...encodedPayloadsDetector, inspect: (ctx) => inspectEncoded(rescanners, ctx) };
}

export const encodedPayloadsDetector: LocalDetector = {
  id: 'encoded-payloads',
  phase: 'both',
  methods: '*',
  directions: ['to_client'],
  inspect: (ctx) => inspectEncoded(DEFAULT_RESCANNERS, ctx),
};

function inspectEncoded(rescanners: readonly LocalDetector[], ctx: DetectorContext): RawFinding[] {
  const prose = ctx.fields.filter((f) => f.role === 'prose');
  const out: RawFinding[] = [];
  const runsPerField = prose.map((f) => candidateRuns(f.raw, () => sharedBytes(ctx, f.raw)));
  prose.forEach((field, i) => {
    out.push(...hintFindings(ctx, field));
    out.push(...rescanRuns(rescanners, ctx, field.path, decodeAll(runsPerField[i] ?? [])));
  });
  for (const joined of joinedFragments(prose.map((f) => f.raw))) out.push(...rescan(rescanners, ctx, prose[0]?.path ?? '', joined));
  return strongestPerRule(out);
}
