/**
 * The burn-down baseline of known corpus errors (issue 4; the SDK's expected-failures list): known misses
 * and known false positives by `file#id`. A check fails when a listed entry is now correct (stale: take
 * it off the list) or when a record that is not listed is wrong (a regression). Entries of files that
 * were not part of the run are ignored, so a run over one file checks only that file.
 */
import type { Outcome } from './run.js';

export interface Baseline {
  misses: string[];
  falsePositives: string[];
}

export interface BaselineCheck {
  ok: boolean;
  stale: string[];
  newMisses: string[];
  newFalsePositives: string[];
}

export function recordKey(o: Outcome): string {
  return `${o.record.file}#${o.record.id}`;
}

export function currentErrors(outcomes: readonly Outcome[]): Baseline {
  const misses: string[] = [];
  const falsePositives: string[] = [];
  for (const o of outcomes) {
    if (!o.prediction) continue;
    if (o.record.label === 'malicious' && !o.prediction.flagged) misses.push(recordKey(o));
    if (o.record.label === 'benign' && o.prediction.flagged) falsePositives.push(recordKey(o));
  }
  return { misses: misses.sort(), falsePositives: falsePositives.sort() };
}

export function parseBaseline(text: string): Baseline {
  const raw = JSON.parse(text) as Partial<Baseline>;
  return { misses: [...(raw.misses ?? [])], falsePositives: [...(raw.falsePositives ?? [])] };
}

export function checkBaseline(outcomes: readonly Outcome[], baseline: Baseline): BaselineCheck {
  const files = new Set(outcomes.filter((o) => o.prediction).map((o) => o.record.file));
  const inRun = (key: string): boolean => files.has(key.slice(0, key.indexOf('#')));
  const now = currentErrors(outcomes);
  const nowMiss = new Set(now.misses);
  const nowFp = new Set(now.falsePositives);
  const listedMiss = new Set(baseline.misses);
  const listedFp = new Set(baseline.falsePositives);
  const stale = [
    ...baseline.misses.filter((k) => inRun(k) && !nowMiss.has(k)),
    ...baseline.falsePositives.filter((k) => inRun(k) && !nowFp.has(k)),
  ];
  const newMisses = now.misses.filter((k) => !listedMiss.has(k));
  const newFalsePositives = now.falsePositives.filter((k) => !listedFp.has(k));
  return { ok: stale.length + newMisses.length + newFalsePositives.length === 0, stale, newMisses, newFalsePositives };
}

export function formatBaseline(b: Baseline): string {
  return `${JSON.stringify({ misses: b.misses, falsePositives: b.falsePositives }, null, 2)}\n`;
}
