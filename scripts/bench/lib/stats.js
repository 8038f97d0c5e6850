// Statistics and interleaving for the benchmark suite (issue 14). The machine is shared, so every
// comparison is measured in rounds: each round runs every contender once, in a rotating order, and the
// figures are percentiles over all rounds, so drift and a neighbour's load hit every contender alike.

/** The p-th percentile (0..100) of a list of numbers, nearest rank. */
export function percentile(list, p) {
  if (list.length === 0) return NaN;
  const sorted = [...list].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const median = (list) => percentile(list, 50);

/**
 * Runs up to `rounds` rounds; in each, every contender's `step()` runs once, starting one contender
 * further on each round. After `minRounds` (default 3), no new round starts once `budgetMs` (default
 * unbounded) has passed, so a loaded machine gives fewer samples instead of an endless run. `step`
 * returns a number or a list of numbers, collected per contender.
 */
export async function interleave(contenders, { rounds, budgetMs = Infinity, minRounds = 3 }, step) {
  const samples = new Map(contenders.map((c) => [c, []]));
  const deadline = performance.now() + budgetMs;
  for (let r = 0; r < rounds && (r < minRounds || performance.now() < deadline); r++) {
    for (let i = 0; i < contenders.length; i++) {
      const contender = contenders[(r + i) % contenders.length];
      const out = await step(contender, r);
      const list = samples.get(contender);
      if (Array.isArray(out)) for (const x of out) list.push(x);
      else list.push(out);
    }
  }
  return samples;
}

/** Milliseconds taken by `fn`. */
export async function timed(fn) {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export const round = (x, digits = 2) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : null);
