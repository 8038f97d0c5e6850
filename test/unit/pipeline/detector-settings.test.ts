/**
 * `policy.detectors.<id>` (detector contract v2, issue 8): the fail mode and timeout read from
 * watchdog.yaml decide what a slow asynchronous detector does to the message. The settings come from
 * the real loader (parseConfig) and are applied by `withDetectorSettings`, the function the wiring root
 * (createInspection) applies to the detectors it creates; the built-ins are all synchronous, so the slow
 * judge here is a test detector in a pipeline under the same config.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/index.js';
import type { Envelope } from '../../../src/core/index.js';
import { createPipeline, withDetectorSettings } from '../../../src/pipeline/index.js';
import type { DeliveredVerdict, Detector, DetectorContext, RawFinding } from '../../../src/pipeline/types.js';

const result: Envelope = { method: 'tools/call', direction: 'to_client', upstream: 'u', payload: { content: [{ type: 'text', text: 'hello' }] } };

/** A remote-judge stand-in: answers after `ms` with one low finding; records whether its signal was aborted. */
function slowJudge(ms: number, seen: { aborted?: boolean } = {}): Detector {
  return {
    id: 'slow-judge',
    phase: 'both',
    methods: '*',
    directions: ['to_client'],
    // Its own declaration; the config overrides it.
    failMode: 'closed',
    timeoutMs: 40,
    async inspect(ctx: DetectorContext): Promise<RawFinding[]> {
      const signal = ctx.signal as AbortSignal;
      await sleep(ms);
      seen.aborted = signal.aborted;
      return [{ rule: 'slow-judge/suspicious', severity: 'low', path: 'content[0].text', reason: 'judged', match: 'hello' }];
    },
  };
}

/** The pipeline the config describes, around one slow judge. */
function pipelineFor(yaml: string, judge: Detector) {
  const { config } = parseConfig(yaml, { file: 'watchdog.yaml', baseDir: '/srv/wd', env: {} });
  return createPipeline({ policy: config.policy, detectors: withDetectorSettings([judge], config.policy.detectors) });
}

describe('a slow asynchronous detector under policy.detectors', () => {
  it('times out after the configured timeoutMs and, failing closed, blocks', async () => {
    const seen: { aborted?: boolean } = {};
    const started = Date.now();
    const verdict = await pipelineFor('policy: { detectors: { slow-judge: { failMode: closed, timeoutMs: 60 } } }', slowJudge(600, seen)).inspect(result);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(55);
    expect(elapsed).toBeLessThan(500);
    expect(verdict.kind).toBe('block');
    if (verdict.kind !== 'block') return;
    expect(verdict.finding).toMatchObject({ rule: 'pipeline/detector-timeout', severity: 'critical', action: 'block' });
    expect(verdict.finding.reason).toBe('detector slow-judge did not answer within 60 ms (fails closed)');
    await sleep(600);
    expect(seen.aborted).toBe(true);
  });

  it('fails open when the config says so: the message passes with an info finding', async () => {
    const verdict = await pipelineFor('policy: { detectors: { slow-judge: { failMode: open, timeoutMs: 60 } } }', slowJudge(600)).inspect(result);
    expect(verdict.kind).toBe('pass');
    expect(verdict.findings).toHaveLength(1);
    expect(verdict.findings[0]).toMatchObject({ rule: 'pipeline/detector-timeout', severity: 'info', action: 'alert' });
    expect(verdict.findings[0]?.reason).toBe('detector slow-judge did not answer within 60 ms (fails open)');
  });

  it('a longer configured timeout lets the same judge answer (its own 40 ms would not)', async () => {
    const verdict = await pipelineFor('policy: { detectors: { slow-judge: { timeoutMs: 2000 } } }', slowJudge(150)).inspect(result);
    expect(verdict.kind).toBe('pass');
    expect(verdict.findings.map((f) => f.rule)).toEqual(['slow-judge/suspicious']);
    const own = await pipelineFor('policy: {}', slowJudge(150)).inspect(result);
    expect(own.kind === 'block' && own.finding.reason).toBe('detector slow-judge did not answer within 40 ms (fails closed)');
  });
});

describe('withDetectorSettings', () => {
  it('wraps only the configured detectors, keeping order, and never mutates them', () => {
    const a = slowJudge(1);
    const b: Detector = { ...slowJudge(1), id: 'other' };
    const out = withDetectorSettings([b, a], { 'slow-judge': { failMode: 'open' } });
    expect(out.map((d) => d.id)).toEqual(['other', 'slow-judge']);
    expect(out[0]).toBe(b);
    expect(out[1]).toMatchObject({ failMode: 'open', timeoutMs: 40 });
    expect(a).toMatchObject({ failMode: 'closed', timeoutMs: 40 });
  });

  it('delegates inspect and observe to the detector itself (class-based detectors keep their private state)', async () => {
    class Counting implements Detector {
      readonly id = 'counting';
      readonly phase = 'both';
      readonly methods = '*';
      readonly directions = ['to_client'] as const;
      #seen = 0;
      #observed: string[] = [];
      inspect(): RawFinding[] {
        this.#seen += 1;
        return [];
      }
      observe(_ctx: DetectorContext, verdict: DeliveredVerdict): void {
        this.#observed.push(verdict.kind);
      }
      get counts(): { seen: number; observed: readonly string[] } {
        return { seen: this.#seen, observed: this.#observed };
      }
    }
    const counting = new Counting();
    const [wrapped] = withDetectorSettings([counting], { counting: { timeoutMs: 10 } });
    expect(wrapped).not.toBe(counting);
    const verdict = await createPipeline({ detectors: [wrapped as Detector] }).inspect(result);
    expect(verdict.kind).toBe('pass');
    expect(counting.counts).toEqual({ seen: 1, observed: ['pass'] });
  });
});
