/**
 * The local learned scorer (issue 15): logistic regression over hashed n-grams (ngram-features.ts),
 * one weight vector per head, loaded once from the committed model file (`models/semantic-scorer.bin`,
 * written by `scripts/train-scorer.js`). A text is cut into windows; each window's probability is
 * sigmoid(bias + scale × Σ weight[bucket] / √features), and the text scores as its highest window;
 * a degenerate window (MIN_DISTINCT_SHARE) is not scored.
 * No network, no state between calls beyond a reused feature buffer; 0.1–0.3 ms per KB on the 2-core
 * development machine (the semantic detectors score at most 64 KiB of a field).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ScoredWindow, ScorerHead, ScorerThresholds, TextScorer } from '../core/index.js';
import { featureBuckets, windowsOf } from './ngram-features.js';
import { decodeModel, type HeadHeader, type ScorerModel } from './scorer-model.js';

/**
 * A window whose features are mostly repeats of a few (`xxxx…`, `1 2 3 4 …` with digits folded, a row of
 * `====`) is not text a model was trained to read: the sum over its repeated n-grams grows with the
 * window and scored such runs as certain injections. Below this share of distinct buckets a window is
 * not scored (its sentences, scored as windows of their own, still are); prose sits above 0.5.
 */
export const MIN_DISTINCT_SHARE = 0.1;

/** The committed model, found relative to this module in `src/` and in `dist/` alike. */
export const DEFAULT_MODEL_FILE = fileURLToPath(new URL('../../models/semantic-scorer.bin', import.meta.url));

interface Head {
  header: HeadHeader;
  weights: Int8Array;
}

export class LocalScorer implements TextScorer {
  readonly #heads = new Map<ScorerHead, Head>();
  readonly #mask: number;
  readonly #windowChars: number;
  readonly #buffer = { buf: new Int32Array(4096) };
  readonly #seen: Uint8Array;

  constructor(readonly model: ScorerModel) {
    this.#mask = (1 << model.header.bits) - 1;
    this.#seen = new Uint8Array(this.#mask + 1);
    this.#windowChars = model.header.windowChars;
    for (const header of model.header.heads) this.#heads.set(header.name, { header, weights: model.weights.get(header.name) as Int8Array });
  }

  #head(name: ScorerHead): Head {
    const head = this.#heads.get(name);
    if (!head) throw new Error(`the scorer model has no ${name} head`);
    return head;
  }

  thresholds(head: ScorerHead): ScorerThresholds {
    return this.#head(head).header.thresholds;
  }

  score(text: string, name: ScorerHead): ScoredWindow {
    const head = this.#head(name);
    let best: ScoredWindow = { score: -Infinity, start: 0, end: 0 };
    for (const window of windowsOf(text, this.#windowChars, head.header.segments === true)) {
      const logit = this.#logit(text, window, head);
      if (logit > best.score) best = { score: logit, ...window };
    }
    return { ...best, score: 1 / (1 + Math.exp(-best.score)) };
  }

  #logit(text: string, window: { start: number; end: number }, head: Head): number {
    const n = featureBuckets(text, window, this.#mask, this.#buffer);
    const buf = this.#buffer.buf;
    if (n > 0 && this.#distinct(n) < MIN_DISTINCT_SHARE * n) return -Infinity;
    const w = head.weights;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += w[buf[i] as number] as number;
    return head.header.bias + (n === 0 ? 0 : (head.header.scale * sum) / Math.sqrt(n));
  }

  /** How many different buckets the window's `n` features fall in (the marks are cleared again after). */
  #distinct(n: number): number {
    const buf = this.#buffer.buf;
    const seen = this.#seen;
    let distinct = 0;
    for (let i = 0; i < n; i++) {
      const b = buf[i] as number;
      if (seen[b] === 0) {
        seen[b] = 1;
        distinct++;
      }
    }
    for (let i = 0; i < n; i++) seen[buf[i] as number] = 0;
    return distinct;
  }
}

/** Reads and checks the model file; throws when it is missing or does not parse. */
export function loadLocalScorer(file: string = DEFAULT_MODEL_FILE): LocalScorer {
  try {
    return new LocalScorer(decodeModel(readFileSync(file)));
  } catch (err) {
    throw new Error(`cannot load the local scorer model ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
