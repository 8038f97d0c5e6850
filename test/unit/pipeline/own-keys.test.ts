/**
 * Issue 7, item 1 in the pipeline: keys that outside input chooses are read as own properties only.
 * A secret under an argument named `__proto__` is still found and rewritten (JSON.parse makes it an own
 * key, and the rewrite defines it rather than assigning through the `__proto__` setter), and policy
 * lookups never take Object.prototype's members for rule maps or upstream scopes.
 */
import { describe, expect, it } from 'vitest';
import { PolicySchema } from '../../../src/config/schema.js';
import { ownValue, ownsKey, type Envelope } from '../../../src/core/index.js';
import { detectors } from '../../../src/detectors/index.js';
import { createPipeline } from '../../../src/pipeline/index.js';
import { resolveAction } from '../../../src/pipeline/policy.js';

const SECRET = 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB';

describe('own-property lookups (issue 7, item 1)', () => {
  it('ownValue and ownsKey ignore inherited members', () => {
    const obj = JSON.parse('{"__proto__": "own", "a": 1}') as object;
    expect(ownValue(obj, '__proto__')).toBe('own');
    expect(ownValue({}, 'constructor')).toBeUndefined();
    expect(ownValue({}, 'toString')).toBeUndefined();
    expect(ownsKey({}, 'hasOwnProperty')).toBe(false);
    expect(ownValue(null, 'a')).toBeUndefined();
  });

  it.each(['__proto__', 'constructor', 'toString'])('redacts a secret held under an argument named %s', async (key) => {
    const payload = JSON.parse(`{"content":[{"type":"text","text":"ok"}],"structuredContent":{${JSON.stringify(key)}:"token ${SECRET}"}}`) as object;
    const envelope: Envelope = { method: 'tools/call', direction: 'to_client', upstream: 'u', payload };
    const verdict = await createPipeline({ detectors }).inspect(envelope);
    expect(verdict.kind).not.toBe('pass');
    if (verdict.kind === 'redact') {
      expect(JSON.stringify(verdict.payload)).not.toContain(SECRET);
      expect(Object.hasOwn((verdict.payload as { structuredContent: object }).structuredContent, key)).toBe(true);
    }
  });

  it('does not take Object.prototype members for policy scopes or rule maps', () => {
    const policy = PolicySchema.parse({ rules: { 'secrets/*': 'alert' } });
    const finding = { rule: 'constructor', severity: 'low' as const, path: '', reason: 'r', match: '' };
    for (const upstream of ['constructor', '__proto__', 'toString']) {
      const envelope: Envelope = { method: 'tools/call', direction: 'to_client', upstream, payload: {} };
      expect(resolveAction(policy, envelope, finding)).toBe('alert');
      expect(resolveAction(policy, envelope, { ...finding, rule: 'toString/x', severity: 'critical' })).toBe('block');
    }
  });
});
