/**
 * Upstream stderr redaction and the bounded tail (issue 7, item 15): configured env and header values
 * (and the credential after `Bearer`) are replaced, then the injected secret shapes; short values are
 * left alone; the tail keeps at most 20 lines and 4 KB.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../../src/detectors/index.js';
import { createLogger } from '../../../src/logger.js';
import { parseConfig } from '../../../src/config/index.js';
import { StderrTail, TAIL_BYTES, TAIL_LINES, upstreamRedactor } from '../../../src/upstream/stderr-tail.js';

const upstreams = parseConfig(
  `
upstreams:
  - { name: local, command: node, env: { API_KEY: sk-local-4f9a8b7c, DEBUG: "1" } }
  - { name: remote, url: "https://mcp.example.com/mcp", headers: { Authorization: "Bearer tok-77aa88bb99cc", X-Team: ops } }
`,
  { file: 'test.yaml', baseDir: '/tmp', env: {} },
).config.upstreams;

describe('upstreamRedactor', () => {
  it('replaces configured env values, but not values too short to be secrets', () => {
    const redact = upstreamRedactor(upstreams[0]!);
    expect(redact('key=sk-local-4f9a8b7c debug=1')).toBe('key=[redacted:config] debug=1');
  });

  it('replaces header values and the credential after the scheme on its own', () => {
    const redact = upstreamRedactor(upstreams[1]!);
    expect(redact('sent Bearer tok-77aa88bb99cc')).toBe('sent [redacted:config]');
    expect(redact('token tok-77aa88bb99cc')).toBe('token [redacted:config]');
  });

  it('applies the injected secret shapes after the literals', () => {
    const token = ['ghp', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'].join('_');
    const redact = upstreamRedactor(upstreams[0]!, redactSecrets);
    expect(redact(`auth ${token} key sk-local-4f9a8b7c`)).toBe('auth [REDACTED:github-token] key [redacted:config]');
  });
});

describe('StderrTail', () => {
  it('logs each line redacted at debug and keeps at most 20 lines and 4 KB', () => {
    const logged: string[] = [];
    const log = createLogger('debug', new Writable({ write: (c: Buffer, _e, done) => (logged.push(c.toString()), done()) }));
    const tail = new StderrTail(log, upstreamRedactor(upstreams[0]!));
    for (let i = 0; i < 30; i++) tail.line(`line ${i} sk-local-4f9a8b7c`);
    expect(tail.lines()).toHaveLength(TAIL_LINES);
    expect(tail.lines()[TAIL_LINES - 1]).toBe('line 29 [redacted:config]');
    expect(logged.join('')).not.toContain('sk-local-4f9a8b7c');
    for (let i = 0; i < 10; i++) tail.line('w'.repeat(1000));
    expect(tail.lines().join('').length).toBeLessThanOrEqual(TAIL_BYTES);
    tail.exited({ pid: 1234, code: 3, signal: null });
    const exit = JSON.parse(logged.at(-1) ?? '{}') as { level: number; stderrTail: string[] };
    expect(exit.level).toBe(40);
    expect(exit.stderrTail).toEqual(tail.lines());
  });
});
