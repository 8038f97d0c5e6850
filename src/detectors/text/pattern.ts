/**
 * The shape of one rule of a pattern table (instruction patterns, credential seeking, ...). Its own file
 * so the tables and the trigger engine that reads them do not import each other (no cycle through
 * text-views.ts).
 */
import type { Severity } from '../../core/index.js';

export interface Pattern {
  rule: string;
  severity: Severity;
  re: RegExp;
  reason: string;
  /** True for shapes that are harmful even when quoted (destructive commands): no mention downgrade. */
  quotedToo?: boolean;
  /** Lower-case literals every match contains; on large texts the pattern only runs near them. */
  triggers?: readonly string[];
  /** Lower-case literals of which every match contains one; on large texts the pattern only runs near them. */
  requires?: readonly string[];
  /** Literals as written (no letters unless the pattern is case-sensitive), one in every match; texts without any are skipped. */
  prefilter?: readonly string[];
  /**
   * Where the shape counts: `listing` — only in catalog entries (a tool describing itself as harmful is a
   * poisoned tool; the same words in a fetched security article are data) and in hidden text anywhere;
   * `hidden` — only in text that was hidden (role labels at the start of smuggled text). Default: everywhere.
   */
  scope?: 'listing' | 'hidden';
}
