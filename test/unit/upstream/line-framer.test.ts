/**
 * Stdout framing with a size limit (issue 7, items 2 and 13): lines across chunks, CRLF, the exact
 * limit, and an oversized line discarded up to its newline — its tail is never read as a message.
 */
import { describe, expect, it } from 'vitest';
import { EDGE_BYTES, LineFramer, type OversizedLine } from '../../../src/upstream/line-framer.js';

function framer(maxBytes: number) {
  const lines: string[] = [];
  const oversized: OversizedLine[] = [];
  const f = new LineFramer(maxBytes, { line: (l) => lines.push(l), oversized: (o) => oversized.push(o) });
  const push = (...chunks: string[]) => chunks.forEach((c) => f.push(Buffer.from(c)));
  return { lines, oversized, push };
}

describe('LineFramer', () => {
  it('joins lines split across chunks, strips CR and skips empty lines', () => {
    const { lines, push } = framer(1024);
    push('{"a":', '1}\r\n\n  \n{"b"', ':2}\n{"c":3}');
    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
    push('\n');
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  it('accepts a line of exactly maxBytes and refuses one byte more', () => {
    const { lines, oversized, push } = framer(10);
    push('0123456789\n', '0123456789A\n');
    expect(lines).toEqual(['0123456789']);
    expect(oversized.map((o) => o.bytes)).toEqual([11]);
  });

  it('discards an oversized line up to its newline, so a request hidden after padding is never parsed', () => {
    const { lines, oversized, push } = framer(1024);
    const smuggled = '{"jsonrpc":"2.0","id":9,"method":"tools/call"}';
    push('{"pad":"', 'x'.repeat(3000), '"} ', smuggled, '\n{"next":true}\n');
    expect(lines).toEqual(['{"next":true}']);
    expect(oversized).toHaveLength(1);
    expect(oversized[0]?.bytes).toBe(8 + 3000 + 3 + smuggled.length);
  });

  it('keeps the first and last EDGE_BYTES of an oversized line, however it was chunked', () => {
    const { oversized, push } = framer(1024);
    const head = `{"jsonrpc":"2.0","id":7,"result":"`;
    const body = 'y'.repeat(50_000);
    const tail = `"}`;
    const whole = head + body + tail;
    for (let i = 0; i < whole.length; i += 777) push(whole.slice(i, i + 777));
    push('\n');
    expect(oversized[0]?.head).toBe(whole.slice(0, EDGE_BYTES));
    expect(oversized[0]?.tail).toBe(whole.slice(-EDGE_BYTES));
    expect(oversized[0]?.bytes).toBe(whole.length);
  });

  it('keeps framing after a sink that throws', () => {
    const lines: string[] = [];
    const f = new LineFramer(100, {
      line: (l) => {
        if (l === 'boom') throw new Error('sink failed');
        lines.push(l);
      },
      oversized: () => undefined,
    });
    expect(() => f.push(Buffer.from('boom\n'))).toThrow('sink failed');
    f.push(Buffer.from('after\n'));
    expect(lines).toEqual(['after']);
  });
});
