/**
 * The load-time policy check (issue 12): redact or strip on rules that cannot carry them is an error when
 * nothing under the key can, a warning when only part can or the other rewrite serves; a key naming no
 * detector is a warning; and through `loadConfig` each comes with its YAML line.
 */
import { describe, expect, it } from 'vitest';
import { PolicySchema } from '../../../src/config/schema.js';
import { parseConfig, ConfigError } from '../../../src/config/index.js';
import { checkPolicy } from '../../../src/pipeline/policy-check.js';
import { detectors } from '../../../src/detectors/index.js';
import { checkConfigPolicy } from '../../../src/inspection.js';

const issues = (rules: Record<string, string>) => checkPolicy(PolicySchema.parse({ rules }), detectors).map((i) => `${i.level}: ${i.message}`);

describe('checkPolicy', () => {
  it('accepts keys whose rules can take the action', () => {
    expect(issues({ secrets: 'redact', 'secrets/*': 'redact', 'secrets/npm-token': 'redact', 'hidden-content/html-comment': 'strip', 'instruction-blocks': 'strip' })).toEqual([]);
    expect(issues({ 'model-instructions': 'block', '*': 'alert', 'dangerous-args/ssrf-private': 'alert' })).toEqual([]);
  });

  it('errors when nothing under the key can take the action', () => {
    expect(issues({ 'model-instructions': 'redact' })).toEqual([
      'error: no rule under "model-instructions" carries a replacement, so it cannot be redacted; use alert or block',
    ]);
    expect(issues({ 'credential-seeking/*': 'strip' })[0]).toMatch(/^error: no rule under "credential-seeking\/\*" has spans to strip/);
  });

  it('warns when the other rewrite serves instead, or only part of the key can', () => {
    expect(issues({ 'hidden-content/html-comment': 'redact' })).toEqual([
      'warning: no rule under "hidden-content/html-comment" carries a replacement: hidden-content/html-comment will be stripped instead, anything else blocked',
    ]);
    expect(issues({ '*': 'redact' })[0]).toMatch(/^warning: only secrets\/gcp-service-account, secrets\/private-key, secrets\/jwt and \d+ more can be redacted; other rules under "\*" are stripped where they can be \(hidden-content\/html-comment, .*\), otherwise blocked$/);
    expect(issues({ 'hidden-content': 'strip' })[0]).toMatch(/^warning: only hidden-content\/html-comment, .* can be stripped; other rules under "hidden-content" are blocked$/);
  });

  it('warns about a key that names no detector, with a suggestion', () => {
    expect(issues({ 'hiden-content/html-comment': 'alert' })).toEqual(['warning: no detector "hiden-content" (did you mean "hidden-content"?); this key matches no finding']);
    expect(issues({ 'pipeline/detector-error': 'alert' })).toEqual([]);
  });
});

describe('through the config loader', () => {
  const load = (yaml: string) => parseConfig(yaml, { file: 'watchdog.yaml', baseDir: '/srv', env: {}, checks: [checkConfigPolicy] });

  it('returns warnings with their YAML line and path', () => {
    const loaded = load('policy:\n  upstreams:\n    fs:\n      rules:\n        hidden-content/html-comment: redact\n');
    expect(loaded.warnings).toEqual([expect.objectContaining({ path: 'policy.upstreams.fs.rules["hidden-content/html-comment"]', line: 5 })]);
  });

  it('stops the load on an error', () => {
    expect(() => load('policy:\n  rules: { exfiltration: redact }\n')).toThrow(ConfigError);
  });

  it('accepts the per-upstream sanitise switches', () => {
    const { config } = load('policy:\n  sanitise: { ansi: false }\n  upstreams:\n    fs:\n      sanitise: { comments: false }\n');
    expect(config.policy.sanitise).toEqual({ comments: true, invisible: true, ansi: false, instructionBlocks: true });
    expect(config.policy.upstreams['fs']?.sanitise).toEqual({ comments: false });
    expect(() => load('policy:\n  sanitise: { comment: false }\n')).toThrow(/unknown key "comment"/);
  });
});
