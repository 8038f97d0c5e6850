/** The queue of reads waiting to be fingerprinted (issue 9, "Fast"): deferred, bounded, drained in order. */
import { describe, expect, test } from 'vitest';
import { PendingRemembers, type FlowOrigin } from '../../../src/core/index.js';

const O: FlowOrigin = { upstream: 'crm', method: 'tools/call' };
const turn = () => new Promise((resolve) => setImmediate(resolve));

function queue(maxBytes?: number) {
  const remembered: string[] = [];
  const pending = new PendingRemembers((_o, fps) => remembered.push(...fps), maxBytes);
  const add = (fp: string, bytes = 10) => pending.add(O, () => [fp], 0, bytes);
  return { pending, remembered, add };
}

describe('PendingRemembers', () => {
  test('work waits for the next turn and runs in the order added; drain runs it at once', async () => {
    const q = queue();
    q.add('a');
    q.add('b');
    expect(q.remembered).toEqual([]);
    expect(q.pending.bytes).toBe(20);
    await turn();
    expect(q.remembered).toEqual(['a', 'b']);
    q.add('c');
    q.pending.drain();
    expect(q.remembered).toEqual(['a', 'b', 'c']);
    expect(q.pending.bytes).toBe(0);
  });

  test('past the byte bound, add drains synchronously', () => {
    const q = queue(100);
    q.add('a', 60);
    expect(q.remembered).toEqual([]);
    q.add('b', 60);
    expect(q.remembered).toEqual(['a', 'b']);
    expect(q.pending.bytes).toBe(0);
  });

  test('close drains, and later adds run at once', () => {
    const q = queue();
    q.add('a');
    q.pending.close();
    expect(q.remembered).toEqual(['a']);
    q.add('b');
    expect(q.remembered).toEqual(['a', 'b']);
  });

  test('a failing batch on the scheduled turn does not throw out of the event loop; later work still runs', async () => {
    const remembered: string[] = [];
    const pending = new PendingRemembers((_o, fps) => remembered.push(...fps));
    pending.add(O, () => {
      throw new Error('boom');
    }, 0, 1);
    await turn();
    pending.add(O, () => ['ok'], 0, 1);
    await turn();
    expect(remembered).toEqual(['ok']);
  });
});
