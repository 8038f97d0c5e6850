/**
 * Port: baselines — running statistics of numeric features of a behaviour (e.g. per upstream tool:
 * result size, latency, number of URLs), so drift from the usual can be noticed. A sample is a map
 * of feature name to number; each feature keeps count, mean, M2 (Welford), min and max, so updates
 * are O(features) and exact without keeping samples. `foldSample` is the one update rule both
 * implementations use.
 * Bounded by implementations: at most `maxEntries` baselines (least recently updated go first), none
 * whose `lastSeen` is older than the time-to-live, and at most `MAX_FEATURES` features per baseline
 * (further feature names are ignored: a hostile upstream must not grow a row without limit).
 * A feature named with a leading `~` also keeps its last `RECENT_WINDOW` values in `recent`, for robust
 * statistics Welford cannot give (median and MAD of response sizes, issue 11 drift).
 */

export interface FeatureStats {
  count: number;
  mean: number;
  /** Sum of squared deviations from the mean (variance = m2 / (count - 1)). */
  m2: number;
  min: number;
  max: number;
}

export interface Baseline {
  /** Samples folded in. */
  samples: number;
  features: Record<string, FeatureStats>;
  /** Epoch ms. */
  firstSeen: number;
  /** Epoch ms; the time-to-live counts from here. */
  lastSeen: number;
  /** For `~` features: their last `RECENT_WINDOW` values, oldest first. Absent when there are none. */
  recent?: Record<string, number[]>;
}

export type Sample = Readonly<Record<string, number>>;

export interface BaselineStore {
  get(key: string): Baseline | undefined;
  /** Folds `sample` into the baseline under `key` (creating it) and returns the result. */
  update(key: string, sample: Sample, at: number): Baseline;
  size(): number;
}

export const MAX_FEATURES = 64;
export const MAX_FEATURE_NAME = 64;
export const RECENT_WINDOW = 31;

/** Welford's update of one baseline by one sample; non-finite values and excess features are skipped. */
export function foldSample(previous: Baseline | undefined, sample: Sample, at: number): Baseline {
  // A Map while folding: feature names may come from outside, and `__proto__` or `constructor` must be
  // features like any other, never Object.prototype's members (issue 7, item 1).
  const features = new Map<string, FeatureStats>(Object.entries(previous?.features ?? {}).map(([name, stats]) => [name, { ...stats }]));
  for (const [name, value] of Object.entries(sample)) {
    if (!Number.isFinite(value) || name.length > MAX_FEATURE_NAME) continue;
    const stats = features.get(name);
    if (!stats) {
      if (features.size >= MAX_FEATURES) continue;
      features.set(name, { count: 1, mean: value, m2: 0, min: value, max: value });
      continue;
    }
    stats.count++;
    const delta = value - stats.mean;
    stats.mean += delta / stats.count;
    stats.m2 += delta * (value - stats.mean);
    stats.min = Math.min(stats.min, value);
    stats.max = Math.max(stats.max, value);
  }
  const recent = foldRecent(previous?.recent, sample, features);
  return { samples: (previous?.samples ?? 0) + 1, features: Object.fromEntries(features), firstSeen: previous?.firstSeen ?? at, lastSeen: at, ...(recent && { recent }) };
}

/** The windows of `~` features after one sample (only features the baseline holds). */
function foldRecent(previous: Baseline['recent'], sample: Sample, features: ReadonlyMap<string, FeatureStats>): Baseline['recent'] {
  const windows = new Map<string, number[]>(Object.entries(previous ?? {}).map(([name, values]) => [name, [...values]]));
  for (const [name, value] of Object.entries(sample)) {
    if (!name.startsWith('~') || !Number.isFinite(value) || !features.has(name)) continue;
    const window = windows.get(name) ?? [];
    window.push(value);
    if (window.length > RECENT_WINDOW) window.splice(0, window.length - RECENT_WINDOW);
    windows.set(name, window);
  }
  return windows.size === 0 ? undefined : Object.fromEntries(windows);
}
