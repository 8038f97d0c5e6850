/**
 * Contracts between the pipeline and its detectors. The pipeline walks a message's payload, extracts
 * the fields a detector may read (each with its JSON path, its raw text and its normalised text), runs
 * the detectors in a written-down order, applies policy, and returns a Verdict (see core/findings.ts).
 * A finding that is stripped rewrites its field before the next detector runs (issue 12: sanitise
 * first, then detect on what the model will actually read).
 * Detectors are pure: they see fields and the envelope, never the store, the network or the clock
 * except through `ctx`.
 */
import type { Direction, Envelope, Severity } from '../core/index.js';
import type { SanitiseFamily } from '../config/schema.js';

/** What kind of text a field holds; detectors choose which kinds they read. */
export type FieldRole =
  | 'prose' // descriptions, titles, instructions, result text, prompt messages: natural language, may be rewritten
  | 'name' // tool/prompt/property names: matched, never rewritten
  | 'argument'; // a tools/call argument value going upstream

export interface Field {
  /** JSON path inside the envelope payload, e.g. `content[0].text` or `inputSchema.properties.note.description`. */
  path: string;
  role: FieldRole;
  /** The string exactly as it arrived. */
  raw: string;
  /** Normalised for matching: NFKC, confusables folded, entities/escapes decoded, invisible characters removed. */
  text: string;
  /** Text that was hidden in the raw string (Unicode tag characters, etc.), decoded; scanned like `text`. */
  hidden: string[];
}

export interface DetectorContext {
  envelope: Envelope;
  fields: readonly Field[];
  /** Per-tool options, e.g. which argument names carry shell commands or SQL (config: policy.tools). */
  toolOptions: { commandArgs: readonly string[]; queryArgs: readonly string[]; urlArgs: readonly string[] };
  /** Extra hosts (or `*.domain`) markdown images/links may reach with data (config: policy.exfil.allowHosts). */
  allowHosts?: readonly string[];
  /**
   * Scratch shared by the detectors of one inspection: the value under `key`, created on first use.
   * Lets detectors share work on the same text (one trigger scan of a 1 MiB result, not one each);
   * it lives for one `inspect` call. Absent in hand-built contexts, where detectors compute directly.
   */
  shared?<T>(key: object, create: () => T): T;
}

/** A range of a field's `raw` string, UTF-16 offsets, end exclusive. */
export interface Span {
  start: number;
  end: number;
}

/**
 * The sanitiser families of SMAC-L3 (issue 12), each switchable per upstream (`policy.sanitise`):
 * HTML and markdown comments, invisible and bidi control characters, non-colour ANSI control sequences,
 * instruction blocks (`<IMPORTANT>…</IMPORTANT>`) in results.
 */
export type StripFamily = SanitiseFamily;

/**
 * What a `strip` action removes from the field: spans of `raw` that have no legitimate use in text a
 * model reads. The marker with the finding id goes in place of the first span (`inline`, for blocks such
 * as a comment) or at the end of the field (`end`, for characters scattered through words).
 */
export interface StripPlan {
  family: StripFamily;
  spans: readonly Span[];
  marker: 'inline' | 'end';
}

/** What a detector reports; the pipeline adds the id and the policy's action. */
export interface RawFinding {
  rule: string;
  severity: Severity;
  path: string;
  reason: string;
  /** The matched raw text (never logged; hashed and masked by the store). */
  match: string;
  /** When set, the policy may redact by replacing every occurrence of `match` in the raw field with this. */
  replacement?: string;
  /** When set, the policy may strip these spans of the raw field (issue 12). */
  strip?: StripPlan;
}

/** Which rules of a detector can carry a replacement or a strip plan; the config check reads this. */
export interface RuleCapabilities {
  /** Rule ids whose findings carry a replacement (`redact` is possible). */
  redact?: readonly string[];
  /** Rule ids whose findings carry a strip plan (`strip` is possible). */
  strip?: readonly string[];
  /** Set when every rule of the detector can take this action (so a detector-id key is fully served). */
  complete?: 'redact' | 'strip';
}

export interface Detector {
  id: string;
  /** `list`: catalog entries (tools/list, prompts/list, initialize); `call`: everything else. */
  phase: 'list' | 'call' | 'both';
  /** Methods this detector reads, or '*' for all. */
  methods: readonly string[] | '*';
  directions: readonly Direction[];
  /** Rules that can be redacted or stripped; absent: none (every rule alerts or blocks). */
  capabilities?: RuleCapabilities;
  inspect(ctx: DetectorContext): RawFinding[];
}
