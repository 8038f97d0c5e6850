/**
 * How a tool name can imitate another (issue 10, squatting): the same name after folding case,
 * separators and look-alike letters; a version or variant affix (`_v2`, `-new`, `_pro`, `real_`); or
 * a small edit (Levenshtein distance ≤ 2 between names of at least eight letters, ≤ 1 from six, so
 * `read`/`head` and `search`/`research` are not "imitations"). Descriptions are compared by their word bigrams.
 */
import { foldConfusables } from '../../pipeline/confusables.js';

/** Lower case, look-alike letters folded, separators dropped. */
export function nameKey(name: string): string {
  return foldConfusables(name.normalize('NFKC')).toLowerCase().replace(/[\s_.:\-/]+/g, '');
}

const AFFIXES = /^(?:(?:new|real|official|better|safe|secure|fixed|true)(.+)|(.+?)(?:v\d{1,3}|\d{1,3}|new|pro|plus|latest|official|fixed|updated|beta|final|secure|safe|real|enhanced|improved|alt))$/;

function editDistanceAtMost(a: string, b: string, limit: number): boolean {
  if (Math.abs(a.length - b.length) > limit) return false;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return false;
    previous = current;
  }
  return (previous[b.length] ?? limit + 1) <= limit;
}

export type Likeness = 'same' | 'affix' | 'edit' | 'look-alike';

/** How `name` imitates `other`, or undefined when it does not (identical raw names are `same`). */
export function imitates(name: string, other: string): Likeness | undefined {
  if (name === other) return 'same';
  const a = nameKey(name);
  const b = nameKey(other);
  if (a === b) return foldConfusables(name) !== name ? 'look-alike' : 'same';
  const m = AFFIXES.exec(a);
  if (m && (m[1] ?? m[2]) === b) return 'affix';
  const shorter = Math.min(a.length, b.length);
  if (shorter >= 6 && editDistanceAtMost(a, b, shorter >= 8 ? 2 : 1)) return 'edit';
  return undefined;
}

function bigrams(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const out = new Set<string>();
  for (let i = 0; i + 1 < words.length; i++) out.add(`${words[i]} ${words[i + 1]}`);
  if (words.length === 1) out.add(words[0] as string);
  return out;
}

export function wordCount(text: string): number {
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).length;
}

/** Jaccard similarity of the two texts' word bigrams (1 for equal texts, 0 when either is empty). */
export function descriptionLikeness(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const g of x) if (y.has(g)) shared++;
  return shared / (x.size + y.size - shared);
}
