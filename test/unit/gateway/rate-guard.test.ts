import { describe, expect, it } from 'vitest';
import { RateLimitsSchema } from '../../../src/config/index.js';
import { WatchdogError } from '../../../src/core/index.js';
import { RateGuard, type GuardEpisode } from '../../../src/gateway/rate-guard.js';
import { ManualClock } from '../../helpers/manual-clock.js';

function guard(input: Record<string, unknown>) {
  const clock = new ManualClock();
  const episodes: GuardEpisode[] = [];
  const config = RateLimitsSchema.parse(input);
  return { clock, episodes, guard: new RateGuard(() => config, clock, (e) => episodes.push(e)) };
}

const alice = { principal: 'token:alice', session: 's1' };

describe('RateGuard', () => {
  it('refuses with WDG_RATE_LIMITED and the seconds to wait; one episode per run of refusals', async () => {
    const { guard: g, clock, episodes } = guard({ calls: { perMinute: 6, burst: 1 } });
    await g.admitCall(alice, 'up', 'up__t');
    const error = await g.admitCall(alice, 'up', 'up__t').catch((err: unknown) => err);
    expect(error).toBeInstanceOf(WatchdogError);
    expect((error as WatchdogError).code).toBe('WDG_RATE_LIMITED');
    expect((error as WatchdogError).message).toContain('retry in 10 s');
    expect((error as WatchdogError).data).toMatchObject({ retryAfterMs: 10_000, retryAfterSeconds: 10 });
    await expect(g.admitCall(alice, 'up', 'up__t')).rejects.toThrow(WatchdogError);
    expect(episodes).toHaveLength(1);
    expect(episodes[0]).toMatchObject({ rule: 'rate-guard/call-burst', tool: 'up__t', principal: 'token:alice', session: 's1' });
    clock.advance(10_000);
    await g.admitCall(alice, 'up', 'up__t');
    await expect(g.admitCall(alice, 'up', 'up__t')).rejects.toThrow(WatchdogError);
    expect(episodes).toHaveLength(2);
    expect(g.snapshot().refused.calls).toBe(3);
  });

  it('counts per upstream: calls refused, notifications dropped and delayed, episodes in progress until their wait runs out', async () => {
    const { guard: g, clock } = guard({ calls: { perMinute: 6, burst: 1 }, notifications: { logMessages: { perMinute: 60, burst: 1 }, listChanged: { perMinute: 60, burst: 1 } } });
    await g.admitCall(alice, 'a', 'a__t');
    await expect(g.admitCall(alice, 'a', 'a__t')).rejects.toThrow(WatchdogError);
    await expect(g.admitCall(alice, 'a', 'a__t')).rejects.toThrow(WatchdogError);
    for (let i = 0; i < 3; i++) g.admitNotification('b', 'logMessages', 'notifications/message');
    for (let i = 0; i < 2; i++) g.admitNotification('b', 'listChanged', 'notifications/tools/list_changed');
    expect(g.snapshot()).toMatchObject({
      enabled: true,
      refused: { calls: 2, notifications: 3 },
      upstreams: [
        { upstream: 'a', callsRefused: 2, notificationsDropped: 0, notificationsDelayed: 0, episodesInProgress: 1 },
        { upstream: 'b', callsRefused: 0, notificationsDropped: 2, notificationsDelayed: 1, episodesInProgress: 2 },
      ],
    });
    // b's notification waits (1 s) run out first, a's call wait (10 s) later; the counts since start stay.
    clock.advance(1_000);
    expect(g.snapshot().upstreams.map((u) => u.episodesInProgress)).toEqual([1, 0]);
    clock.advance(9_000);
    expect(g.snapshot().upstreams.map((u) => [u.episodesInProgress, u.callsRefused + u.notificationsDropped + u.notificationsDelayed])).toEqual([[0, 2], [0, 3]]);
  });

  it('takes a tool glob limit over the default, and admits everything when disabled', async () => {
    const { guard: g } = guard({ calls: { perMinute: 60, burst: 1 }, tools: { 'up__bulk*': { perMinute: 60, burst: 3 } } });
    for (let i = 0; i < 3; i++) await g.admitCall(alice, 'up', 'up__bulk_read');
    await expect(g.admitCall(alice, 'up', 'up__bulk_read')).rejects.toThrow(WatchdogError);
    const off = guard({ enabled: false, calls: { perMinute: 1, burst: 1 } }).guard;
    for (let i = 0; i < 10; i++) await off.admitCall(alice, 'up', 'up__t');
  });

  it('keeps at most maxBuckets buckets, dropping the least recently used', async () => {
    const { guard: g } = guard({ maxBuckets: 3, calls: { perMinute: 1, burst: 1 } });
    for (const tool of ['a', 'b', 'c', 'd']) await g.admitCall(alice, 'up', tool);
    expect(g.snapshot().buckets).toBe(3);
    // `a` was dropped, so it starts full again; `d` is still held and empty.
    await g.admitCall(alice, 'up', 'a');
    await expect(g.admitCall(alice, 'up', 'd')).rejects.toThrow(WatchdogError);
  });

  it('answers notifications with the wait, per upstream and kind', () => {
    const { guard: g, episodes } = guard({ notifications: { logMessages: { perMinute: 60, burst: 2 } } });
    expect([0, 1, 2].map(() => g.admitNotification('up', 'logMessages', 'notifications/message'))).toEqual([0, 0, 1000]);
    expect(g.admitNotification('other', 'logMessages', 'notifications/message')).toBe(0);
    expect(g.admitNotification('up', 'resourceUpdates', 'notifications/resources/updated')).toBe(0);
    expect(episodes).toMatchObject([{ rule: 'rate-guard/notification-flood', upstream: 'up', method: 'notifications/message' }]);
  });
});
