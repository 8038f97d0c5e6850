import { describe, expect, it } from 'vitest';
import { PolicySchema } from '../../../src/config/schema.js';
import { resolveAction, toolOptionsFor } from '../../../src/pipeline/policy.js';
import type { Envelope } from '../../../src/core/index.js';
import type { RawFinding } from '../../../src/pipeline/types.js';

const env = (upstream = 'gh', direction: Envelope['direction'] = 'to_client'): Envelope => ({ method: 'tools/call', direction, upstream, payload: {} });
const finding = (rule: string, severity: RawFinding['severity'], replacement?: string): RawFinding => ({
  rule, severity, path: 'p', reason: 'r', match: 'm', ...(replacement ? { replacement } : {}),
});

describe('policy', () => {
  it('applies the severity defaults', () => {
    const p = PolicySchema.parse({});
    expect(resolveAction(p, env(), finding('x/a', 'critical'))).toBe('block');
    expect(resolveAction(p, env(), finding('x/a', 'high'))).toBe('block');
    expect(resolveAction(p, env(), finding('x/a', 'high', '[REDACTED:k]'))).toBe('redact');
    expect(resolveAction(p, env(), finding('x/a', 'medium'))).toBe('alert');
  });

  it('prefers upstream+direction, then upstream, then direction, then global; exact beats detector id beats glob', () => {
    const p = PolicySchema.parse({
      rules: { 'hidden-content/*': 'alert', 'hidden-content': 'block', 'hidden-content/html-comment': 'redact' },
      directions: { to_upstream: { rules: { '*': 'block' } } },
      upstreams: { gh: { rules: { 'model-instructions': 'alert' }, directions: { to_client: { rules: { 'model-instructions/override': 'block' } } } } },
    });
    expect(resolveAction(p, env('other'), finding('hidden-content/details', 'low'))).toBe('block');
    expect(resolveAction(p, env('other'), finding('hidden-content/html-comment', 'low', 'x'))).toBe('redact');
    expect(resolveAction(p, env('gh'), finding('model-instructions/secrecy', 'critical'))).toBe('alert');
    expect(resolveAction(p, env('gh'), finding('model-instructions/override', 'low'))).toBe('block');
    expect(resolveAction(p, env('other', 'to_upstream'), finding('args.x', 'info'))).toBe('block');
  });

  it('turns redact without a replacement into block, and monitor mode into alert', () => {
    expect(resolveAction(PolicySchema.parse({ rules: { '*': 'redact' } }), env(), finding('a/b', 'low'))).toBe('block');
    expect(resolveAction(PolicySchema.parse({ mode: 'monitor' }), env(), finding('a/b', 'critical'))).toBe('alert');
  });

  it('rejects unknown keys and actions', () => {
    expect(() => PolicySchema.parse({ rules: { a: 'drop' } })).toThrow();
    expect(() => PolicySchema.parse({ mode: 'enforce', extra: 1 })).toThrow();
  });

  it('resolves tool argument kinds from globs, with defaults for unmatched tools', () => {
    const p = PolicySchema.parse({ tools: { 'shell__*': { commandArgs: ['script'] }, search: { queryArgs: [] } } });
    expect(toolOptionsFor(p.tools, 'shell__run').commandArgs).toEqual(['script']);
    expect(toolOptionsFor(p.tools, 'search').queryArgs).toEqual([]);
    expect(toolOptionsFor(p.tools, 'db_query')).toEqual({ commandArgs: ['command', 'cmd'], queryArgs: ['sql', 'query'], urlArgs: [] });
  });
});
