/**
 * Coalesced list refreshes (issue 7, item 10): a burst costs one refresh, notifications during a
 * refresh cause exactly one more after it, refreshes of one kind are spaced by minIntervalMs, and a
 * reset drops what was scheduled.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ListRefresher, type ListKind } from '../../../src/upstream/list-refresh.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function refresher(runMs: number, timing = { debounceMs: 10, minIntervalMs: 50 }) {
  const runs: Array<{ kind: ListKind; at: number }> = [];
  const r = new ListRefresher(
    async (kind) => {
      runs.push({ kind, at: Date.now() });
      await sleep(runMs);
    },
    pino({ level: 'silent' }),
    timing,
  );
  return { r, runs };
}

describe('ListRefresher', () => {
  it('turns a burst of 10,000 notifications into one refresh per kind', async () => {
    const { r, runs } = refresher(5);
    for (let i = 0; i < 10_000; i++) r.notify('tools');
    r.notify('prompts');
    await sleep(150);
    expect(runs.map((x) => x.kind).sort()).toEqual(['prompts', 'tools']);
    expect(r.stats).toEqual({ received: 10_001, refreshes: 2, coalesced: 9_999 });
  });

  it('runs exactly one more refresh for notifications that arrive during one, spaced by minIntervalMs', async () => {
    const { r, runs } = refresher(40);
    r.notify('tools');
    await sleep(20); // the first refresh is running
    for (let i = 0; i < 100; i++) r.notify('tools');
    await sleep(250);
    expect(runs).toHaveLength(2);
    expect((runs[1]?.at ?? 0) - (runs[0]?.at ?? 0)).toBeGreaterThanOrEqual(50);
  });

  it('drops scheduled refreshes on reset and ignores everything after close', async () => {
    const { r, runs } = refresher(5);
    r.notify('resources');
    r.reset();
    await sleep(60);
    expect(runs).toHaveLength(0);
    r.close();
    r.notify('resources');
    await sleep(60);
    expect(runs).toHaveLength(0);
  });

  it('keeps working after a refresh fails', async () => {
    let calls = 0;
    const r = new ListRefresher(
      async () => {
        calls++;
        if (calls === 1) throw new Error('upstream said no');
      },
      pino({ level: 'silent' }),
      { debounceMs: 5, minIntervalMs: 10 },
    );
    r.notify('tools');
    await sleep(40);
    r.notify('tools');
    await sleep(40);
    expect(calls).toBe(2);
  });
});
