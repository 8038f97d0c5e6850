/**
 * An upstream's stderr, redacted (issue 7, item 15). Servers print their configuration, tokens and
 * stack traces to stderr, so no line is logged or kept before redaction: first the literal values
 * configured for that upstream (`env` values, `headers` values and the credential after a scheme such as
 * `Bearer`), then the secret shapes of the `redact` function the composition root injects (the secrets
 * detector's patterns; upstream/ may not import detectors/).
 * Contract: each line is logged at debug (cut to 2000 characters) and kept in a bounded tail (the last
 * 20 lines and at most 4 KB, each line cut to 1 KB) that `Upstream.snapshot()` exposes as `stderrTail`;
 * when a process exits without being asked to, the tail is logged at warn with its exit code.
 */
import type { Logger } from 'pino';
import { isStdio, type UpstreamConfig } from '../config/schema.js';

export type RedactText = (text: string) => string;

export const TAIL_LINES = 20;
export const TAIL_BYTES = 4096;
const TAIL_LINE_CHARS = 1024;
const LOG_LINE_CHARS = 2000;
/** Configured values shorter than this are not replaced (a value of `1` or `yes` is no secret and would mangle every line). */
export const MIN_LITERAL_CHARS = 4;

export interface ExitInfo {
  pid?: number;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Where a process transport sends its stderr lines and its unrequested exits. */
export interface StderrSink {
  line(text: string): void;
  exited(info: ExitInfo): void;
}

/** The literals of one upstream's config to hide, longest first (so a value containing another goes whole). */
export function configuredLiterals(config: UpstreamConfig): string[] {
  const values = isStdio(config) ? Object.values(config.env) : Object.values(config.headers);
  return hideable(values);
}

/** Each value and its whitespace-separated parts (`Bearer <token>`: the token alone may be printed too), long enough, longest first. */
export function hideable(values: Iterable<string>): string[] {
  const literals = new Set<string>();
  for (const value of values) {
    literals.add(value);
    for (const part of value.split(/\s+/)) literals.add(part);
  }
  return [...literals].filter((l) => l.length >= MIN_LITERAL_CHARS).sort((a, b) => b.length - a.length);
}

/** Replaces each literal (as `hideable` orders them) by `[redacted:config]`, then applies the secret shapes. */
export function literalRedactor(literals: readonly string[], redactShapes: RedactText = (t) => t): RedactText {
  return (text) => {
    let out = text;
    for (const literal of literals) if (out.includes(literal)) out = out.split(literal).join('[redacted:config]');
    return redactShapes(out);
  };
}

/** Redaction for one upstream's text: its configured literals, then the injected secret shapes. */
export function upstreamRedactor(config: UpstreamConfig, redactShapes: RedactText = (t) => t): RedactText {
  return literalRedactor(configuredLiterals(config), redactShapes);
}

export class StderrTail implements StderrSink {
  private readonly kept: string[] = [];
  private keptBytes = 0;

  constructor(
    private readonly log: Logger,
    private readonly redact: RedactText,
  ) {}

  line(text: string): void {
    const clean = this.redact(text);
    this.log.debug({ stderr: clean.slice(0, LOG_LINE_CHARS) }, 'upstream stderr');
    const kept = clean.slice(0, TAIL_LINE_CHARS);
    this.kept.push(kept);
    this.keptBytes += Buffer.byteLength(kept);
    while (this.kept.length > TAIL_LINES || (this.keptBytes > TAIL_BYTES && this.kept.length > 1)) {
      this.keptBytes -= Buffer.byteLength(this.kept.shift() as string);
    }
  }

  exited(info: ExitInfo): void {
    this.log.warn({ pid: info.pid, code: info.code, signal: info.signal, stderrTail: this.lines() }, 'upstream process exited');
  }

  /** The redacted tail, oldest first. */
  lines(): string[] {
    return [...this.kept];
  }
}
