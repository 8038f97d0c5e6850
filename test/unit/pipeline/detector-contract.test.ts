/**
 * Detector contract v2 (issue 8 item 4): `inspect` may answer asynchronously under a deadline; a detector
 * that misses it or fails is blocked on (fail closed, the default) or let through with an info finding
 * (fail open); the abandoned call's signal is aborted; `observe` runs after a verdict that lets the
 * message through and sees only what was let through.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../../src/core/index.js';
import { createPipeline } from '../../../src/pipeline/index.js';
import type { DeliveredVerdict, Detector, DetectorContext, RawFinding } from '../../../src/pipeline/types.js';
import { RecordingMetrics } from '../../helpers/recording-metrics.js';

const SECRET = 'AKIAQWERTYUIOPASDFGH';
const result = (text: string): Envelope => ({ method: 'tools/call', direction: 'to_client', upstream: 'u', payload: { content: [{ type: 'text', text }] } });
const base = { phase: 'both', methods: '*', directions: ['to_client'] } as const;

/** Answers after `ms` with one low finding, recording whether its signal was aborted by then. */
function slow(ms: number, extra: Partial<Detector> = {}, seen: { aborted?: boolean } = {}): Detector {
  return {
    id: 'judge', ...base, ...extra,
    async inspect(ctx: DetectorContext): Promise<RawFinding[]> {
      const signal = ctx.signal as AbortSignal;
      await sleep(ms);
      seen.aborted = signal.aborted;
      return [{ rule: 'judge/suspicious', severity: 'low', path: 'content[0].text', reason: 'judged', match: 'x' }];
    },
  };
}

/** Records which detectors ran. */
function marker(id: string, ran: string[]): Detector {
  return { id, ...base, inspect: () => (ran.push(id), []) };
}

/** Redacts SECRET wherever it appears. */
const redactor: Detector = {
  id: 'secrets', ...base,
  inspect: (ctx) => ctx.fields.filter((f) => f.raw.includes(SECRET)).map((f) => ({ rule: 'secrets/aws-access-key', severity: 'high', path: f.path, reason: 'key', match: SECRET, replacement: '[REDACTED]' })),
};

describe('asynchronous inspect', () => {
  it('uses the findings of a detector that answers in time', async () => {
    const verdict = await createPipeline({ detectors: [slow(5, { timeoutMs: 1000 })] }).inspect(result('hello'));
    expect(verdict.kind).toBe('pass');
    expect(verdict.findings.map((f) => f.rule)).toEqual(['judge/suspicious']);
  });

  it('a slow detector that fails closed blocks with a timeout finding, aborts its signal, and stops the run', async () => {
    const ran: string[] = [];
    const seen: { aborted?: boolean } = {};
    const metrics = new RecordingMetrics();
    const started = Date.now();
    const pipeline = createPipeline({ detectors: [slow(400, { timeoutMs: 40 }, seen), marker('after', ran)], metrics });
    const verdict = await pipeline.inspect(result('hello'));
    expect(Date.now() - started).toBeLessThan(350);
    expect(verdict.kind).toBe('block');
    if (verdict.kind !== 'block') return;
    expect(verdict.finding).toMatchObject({ rule: 'pipeline/detector-timeout', severity: 'critical', action: 'block' });
    expect(verdict.finding.reason).toBe('detector judge did not answer within 40 ms (fails closed)');
    expect(ran).toEqual([]);
    expect(metrics.counts).toEqual([{ name: 'detector_failures', labels: { detector: 'judge', kind: 'timeout' }, n: 1 }]);
    await sleep(450);
    expect(seen.aborted).toBe(true);
  });

  it('a slow detector that fails open lets the message through with an info finding, and the run goes on', async () => {
    const ran: string[] = [];
    const verdict = await createPipeline({ detectors: [slow(400, { timeoutMs: 40, failMode: 'open' }), marker('after', ran)] }).inspect(result('hello'));
    expect(verdict.kind).toBe('pass');
    expect(verdict.findings).toHaveLength(1);
    expect(verdict.findings[0]).toMatchObject({ rule: 'pipeline/detector-timeout', severity: 'info', action: 'alert' });
    expect(verdict.findings[0]?.reason).toContain('(fails open)');
    expect(ran).toEqual(['after']);
  });

  it('a timeout aborts only the signal of the detector that timed out', async () => {
    let earlier: AbortSignal | undefined;
    const reader: Detector = { id: 'reader', ...base, inspect: (ctx) => ((earlier = ctx.signal), []) };
    const seen: { aborted?: boolean } = {};
    await createPipeline({ detectors: [reader, slow(300, { timeoutMs: 30, failMode: 'open' }, seen)] }).inspect(result('x'));
    expect(earlier?.aborted).toBe(false);
    await sleep(320);
    expect(seen.aborted).toBe(true);
  });

  it('a rejected promise fails closed by default and open when configured', async () => {
    const failing = (extra: Partial<Detector>): Detector => ({ id: 'remote', ...base, ...extra, inspect: async () => { throw new Error('503 from judge'); } });
    const closed = await createPipeline({ detectors: [failing({})] }).inspect(result('x'));
    expect(closed.kind).toBe('block');
    if (closed.kind === 'block') expect(closed.finding.reason).toBe('detector remote failed: 503 from judge (fails closed)');
    const open = await createPipeline({ detectors: [failing({ failMode: 'open' })] }).inspect(result('x'));
    expect(open.kind).toBe('pass');
    expect(open.findings.map((f) => `${f.rule} ${f.severity}`)).toEqual(['pipeline/detector-error info']);
  });

  it('a synchronous throw honours the fail mode too', async () => {
    const boom: Detector = { id: 'boom', ...base, failMode: 'open', inspect: () => { throw new Error('bug'); } };
    const verdict = await createPipeline({ detectors: [boom] }).inspect(result('x'));
    expect(verdict.kind).toBe('pass');
    expect(verdict.findings[0]?.rule).toBe('pipeline/detector-error');
  });

  it('an answer that is not a list of findings is a failure', async () => {
    const odd = { id: 'odd', ...base, inspect: async () => ({ findings: [] }) } as unknown as Detector;
    const verdict = await createPipeline({ detectors: [odd] }).inspect(result('x'));
    expect(verdict.kind).toBe('block');
    if (verdict.kind === 'block') expect(verdict.finding.reason).toContain('returned no list of findings');
  });
});

describe('observe', () => {
  /** An observer that keeps the texts and verdict kinds it was shown. */
  function watcher(extra: Partial<Detector> = {}) {
    const seen: Array<{ kind: DeliveredVerdict['kind']; texts: string[]; payload: unknown }> = [];
    const detector: Detector = {
      id: 'flows', ...base, ...extra,
      inspect: () => [],
      observe(ctx, verdict) {
        seen.push({ kind: verdict.kind, texts: ctx.fields.map((f) => f.raw), payload: ctx.envelope.payload });
      },
    };
    return { detector, seen };
  }

  it('after a redaction, sees the redacted copy only', async () => {
    const { detector, seen } = watcher();
    const verdict = await createPipeline({ detectors: [redactor, detector] }).inspect(result(`key ${SECRET} here`));
    expect(verdict.kind).toBe('redact');
    expect(seen).toHaveLength(1);
    expect(seen[0]?.kind).toBe('redact');
    expect(JSON.stringify(seen[0])).not.toContain(SECRET);
    expect(seen[0]?.texts[0]).toContain('[REDACTED]');
    expect(seen[0]?.payload).toEqual(verdict.kind === 'redact' ? verdict.payload : undefined);
  });

  it('after a pass, sees the message as it was', async () => {
    const { detector, seen } = watcher();
    await createPipeline({ detectors: [redactor, detector] }).inspect(result('nothing secret'));
    expect(seen).toEqual([{ kind: 'pass', texts: ['nothing secret'], payload: { content: [{ type: 'text', text: 'nothing secret' }] } }]);
  });

  it('after a block, is not called: nothing was delivered', async () => {
    const { detector, seen } = watcher();
    const blocker: Detector = { id: 'b', ...base, inspect: () => [{ rule: 'b/x', severity: 'critical', path: '', reason: 'no', match: '' }] };
    const verdict = await createPipeline({ detectors: [detector, blocker] }).inspect(result(`key ${SECRET}`));
    expect(verdict.kind).toBe('block');
    expect(seen).toEqual([]);
  });

  it('is only called for messages the detector applies to', async () => {
    const { detector, seen } = watcher({ directions: ['to_upstream'] });
    await createPipeline({ detectors: [detector] }).inspect(result('x'));
    expect(seen).toEqual([]);
  });

  it('a failing or slow observer is counted and never changes the verdict', async () => {
    const metrics = new RecordingMetrics();
    const throwing: Detector = { id: 'o1', ...base, inspect: () => [], observe: () => { throw new Error('disk full'); } };
    const hanging: Detector = { id: 'o2', ...base, timeoutMs: 30, inspect: () => [], observe: () => sleep(300) };
    const verdict = await createPipeline({ detectors: [throwing, hanging], metrics }).inspect(result('x'));
    expect(verdict).toEqual({ kind: 'pass', findings: [] });
    expect(metrics.counts.map((c) => c.labels)).toEqual([{ detector: 'o1', kind: 'observe-error' }, { detector: 'o2', kind: 'observe-timeout' }]);
  });
});

describe('the review step (issue 11)', () => {
  const blocker: Detector = { id: 'rule', ...base, inspect: (ctx) => (ctx.fields.some((f) => f.raw.includes('BAD')) ? [{ rule: 'rule/bad', severity: 'critical', path: 'content[0].text', reason: 'bad', match: 'BAD' }] : []) };
  const reviewer = (seen: string[][], severity: 'low' | 'critical' = 'low'): Detector => ({
    id: 'reviewer', ...base,
    inspect: () => [],
    review: (_ctx, findings) => {
      seen.push(findings.map((f) => f.rule));
      return [{ rule: 'reviewer/note', severity, path: '', reason: 'reviewed', match: '' }];
    },
  });

  it('runs after a block too, sees the findings so far, and annotates the block', async () => {
    const seen: string[][] = [];
    const verdict = await createPipeline({ detectors: [blocker, reviewer(seen)] }).inspect(result('BAD'));
    expect(seen).toEqual([['rule/bad']]);
    expect(verdict.kind).toBe('block');
    expect(verdict.findings.map((f) => `${f.rule} ${f.action}`)).toEqual(['rule/bad block', 'reviewer/note alert']);
    expect(verdict.kind === 'block' && verdict.finding.rule).toBe('rule/bad');
  });

  it('a review finding that blocks turns a pass into a block, and then nothing is observed', async () => {
    const observed: string[] = [];
    const watcher: Detector = { id: 'watcher', ...base, inspect: () => [], observe: () => void observed.push('seen') };
    const verdict = await createPipeline({ detectors: [reviewer([], 'critical'), watcher] }).inspect(result('fine'));
    expect(verdict.kind).toBe('block');
    expect(verdict.kind === 'block' && verdict.finding.rule).toBe('reviewer/note');
    expect(observed).toEqual([]);
  });

  it('a review that throws fails closed and is counted', async () => {
    const metrics = new RecordingMetrics();
    const broken: Detector = { id: 'broken', ...base, inspect: () => [], review: () => { throw new Error('boom'); } };
    const verdict = await createPipeline({ detectors: [broken], metrics }).inspect(result('fine'));
    expect(verdict.kind).toBe('block');
    expect(verdict.findings.map((f) => f.rule)).toEqual(['pipeline/detector-error']);
    expect(metrics.counts.some((c) => c.name === 'detector_failures' && c.labels.kind === 'review-error')).toBe(true);
  });
});
