/**
/**
 * Contracts between the pipeline and its detectors (detector contract v2, issue 8). The pipeline walks a
 * message's payload, extracts the fields a detector may read (each with its JSON path, its raw text and
 * its normalised text), runs the detectors in a written-down order, applies policy, and returns a
 * Verdict (see core/findings.ts); then it lets detectors `observe` what the verdict let through.
 * A finding that is stripped rewrites its field before the next detector runs (issue 12: sanitise
 * first, then detect on what the model will actually read).
 * A detector is built once by its factory, which the composition root calls with the detector's
 * options (policy sections) and the ports it needs (`core/ports`): detectors never import a store,
 * the network or a clock, and the context carries only the message.
 */
import type { Direction, Envelope, Finding, Severity, Verdict } from '../core/index.js';
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
  /**
   * Aborted when the pipeline stops waiting for this detector (its `timeoutMs` passed): pass it on to
   * a classifier or any other wait. Created on first read — synchronous detectors should not read it.
   * Absent in hand-built contexts.
   */
  readonly signal?: AbortSignal;
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

/**
 * What happens when a detector throws or misses its deadline: `closed` (default, for local rules) turns
 * it into a critical `pipeline/detector-error` / `pipeline/detector-timeout` finding, which blocks by
 * default; `open` (for remote judges) into an info finding, so the message goes on and the audit log
 * still shows the judge was not heard.
 */
export type FailMode = 'closed' | 'open';

/** A verdict that let something through: what `observe` is told. */
export type DeliveredVerdict = Exclude<Verdict, { kind: 'block' }>;

export interface Detector {
  id: string;
  /** `list`: catalog entries (tools/list, prompts/list, initialize); `call`: everything else. */
  phase: 'list' | 'call' | 'both';
  /** Methods this detector reads, or '*' for all. */
  methods: readonly string[] | '*';
  directions: readonly Direction[];
  /** Rules that can be redacted or stripped; absent: none (every rule alerts or blocks). */
  capabilities?: RuleCapabilities;
  /** Default `closed`. */
  failMode?: FailMode;
  /**
   * How long the pipeline waits for an asynchronous `inspect` or `observe`; default
   * `DEFAULT_DETECTOR_TIMEOUT_MS`. A synchronous result is never timed out (it cannot be interrupted).
   */
  timeoutMs?: number;
  /** Findings for the message; may be asynchronous (a remote judge), then bounded by `timeoutMs`. */
  inspect(ctx: DetectorContext): RawFinding[] | Promise<RawFinding[]>;
  /**
   * Runs once every detector has been heard — after a block too — with the findings so far (other
   * detectors' and policy's actions included), for judgements about the message as a whole against state
   * (behavioural drift: the first finding class after a run of clean calls). Synchronous. Its findings
   * join the verdict under policy; one that blocks turns a pass or redaction into a block, and on a
   * message already blocked they annotate the block.
   */
  review?(ctx: DetectorContext, findings: readonly Finding[]): RawFinding[];
  /**
   * Runs once the verdict is final and lets something through, on what it lets through: the redacted
   * copy after a redaction, the original after a pass; never after a block. For state that must reflect
   * what reached the other side (flows, baselines). Its failures are counted, never change the verdict.
   */
  observe?(ctx: DetectorContext, verdict: DeliveredVerdict): void | Promise<void>;
}

/** A synchronous detector (every local rule): its findings can be used directly, e.g. to rescan. */
export interface LocalDetector extends Detector {
  inspect(ctx: DetectorContext): RawFinding[];
}
