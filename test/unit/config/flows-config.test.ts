/**
 * The flow-tracking part of the config (issue 9): defaults, durations, labels from annotations and
 * toolLabels, pair actions and their defaults, pair ends checked against the upstreams, and what a
 * reload of these settings touches.
 */
import { describe, expect, test } from 'vitest';
import { ConfigError, diffConfig, flowAction, parseConfig, toolLabels, type Config } from '../../../src/config/index.js';

function parse(source: string): Config {
  return parseConfig(source, { file: 'watchdog.yaml', baseDir: '/srv/wd', env: {} }).config;
}

function failure(source: string): string {
  try {
    parse(source);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const TWO = 'upstreams:\n  - name: crm\n    command: x\n    labels: [private]\n  - name: chat\n    command: y\n    labels: [sink]\n';

describe('flows config', () => {
  test('defaults: on, 24 h, a million fingerprints, trifecta alerts, no pairs; upstreams unlabelled', () => {
    const config = parse('upstreams:\n  - name: a\n    command: x\n');
    expect(config.flows).toEqual({ enabled: true, ttl: 24 * 3_600_000, maxEntries: 1_000_000, pairs: [], trifecta: 'alert' });
    expect(config.upstreams[0]).toMatchObject({ labels: [], toolLabels: {} });
  });

  test('ttl takes seconds or a duration with a unit', () => {
    expect(parse('flows:\n  ttl: 90\n').flows.ttl).toBe(90_000);
    expect(parse('flows:\n  ttl: 30m\n').flows.ttl).toBe(1_800_000);
    expect(parse('flows:\n  ttl: 7d\n').flows.ttl).toBe(7 * 86_400_000);
    expect(failure('flows:\n  ttl: soon\n')).toMatch(/flows\.ttl/);
    expect(failure('flows:\n  ttl: -5\n')).toMatch(/flows\.ttl/);
  });

  test('labels are checked; unknown keys in flows are errors with their path', () => {
    expect(failure('upstreams:\n  - name: a\n    command: x\n    labels: [secret]\n')).toMatch(/upstreams\[0\]\.labels\[0\]/);
    expect(failure('flows:\n  trifekta: block\n')).toMatch(/unknown key "trifekta"/);
    expect(failure('flows:\n  trifecta: maybe\n')).toMatch(/flows\.trifecta/);
  });

  test('a pair end must be *, a label or a configured upstream', () => {
    expect(parse(`${TWO}flows:\n  pairs:\n    - { from: crm, to: "*", action: alert }\n    - { from: label:private, to: upstream:chat, action: allow }\n`).flows.pairs).toHaveLength(2);
    const message = failure(`${TWO}flows:\n  pairs:\n    - { from: cmr, to: sink, action: block }\n`);
    expect(message).toMatch(/flows\.pairs\[0\]\.from: "cmr" is neither a label/);
    expect(failure(`${TWO}flows:\n  pairs:\n    - { from: label:crm, to: sink, action: block }\n`)).toMatch(/"label:crm" is not a label/);
    expect(failure(`${TWO}flows:\n  pairs:\n    - { from: crm, to: sink, action: drop }\n`)).toMatch(/flows\.pairs\[0\]\.action/);
  });
});

describe('tool labels', () => {
  const upstream = { labels: ['private' as const], toolLabels: { 'send_*': ['sink' as const], 'noop': [] } };

  test('annotation defaults: open-world read tools are untrusted, open-world others are sinks; stated hints only', () => {
    expect(toolLabels(undefined, 'fetch', { openWorldHint: true, readOnlyHint: true })).toEqual(['untrusted']);
    expect(toolLabels(undefined, 'post', { openWorldHint: true })).toEqual(['sink']);
    expect(toolLabels(undefined, 'post', { openWorldHint: true, readOnlyHint: false })).toEqual(['sink']);
    expect(toolLabels(undefined, 'local', { openWorldHint: false })).toEqual([]);
    expect(toolLabels(undefined, 'plain', undefined)).toEqual([]);
  });

  test('upstream labels add to the annotation defaults; a matching toolLabels glob replaces both', () => {
    expect(toolLabels(upstream, 'read', { openWorldHint: true })).toEqual(['private', 'sink']);
    expect(toolLabels(upstream, 'send_mail', { openWorldHint: true, readOnlyHint: true })).toEqual(['sink']);
    expect(toolLabels(upstream, 'noop', { openWorldHint: true })).toEqual([]);
    expect(toolLabels(upstream, undefined, undefined)).toEqual(['private']);
  });
});

describe('flow actions', () => {
  const crm = { upstream: 'crm', labels: ['private' as const] };
  const chat = { upstream: 'chat', labels: ['sink' as const] };
  const web = { upstream: 'web', labels: ['untrusted' as const] };

  test('defaults: private to a sink blocks, anything else alerts', () => {
    expect(flowAction([], crm, chat)).toBe('block');
    expect(flowAction([], web, chat)).toBe('alert');
    expect(flowAction([], crm, web)).toBe('alert');
  });

  test('the first matching pair wins over the defaults', () => {
    const pairs = [
      { from: 'crm', to: 'upstream:chat', action: 'alert' as const },
      { from: 'label:untrusted', to: '*', action: 'block' as const },
      { from: '*', to: '*', action: 'allow' as const },
    ];
    expect(flowAction(pairs, crm, chat)).toBe('alert');
    expect(flowAction(pairs, web, crm)).toBe('block');
    expect(flowAction(pairs, crm, web)).toBe('allow');
  });
});

describe('reloading flow settings', () => {
  test('labels and actions rebuild inspection without restarting an upstream; store bounds need a restart', () => {
    const before = parse(TWO);
    const relabelled = parse(TWO.replace('labels: [sink]', 'labels: [sink, untrusted]'));
    const labelled = diffConfig(before, relabelled);
    expect(labelled).toMatchObject({ flows: true, policy: false, needsRestart: [] });
    expect(labelled.upstreams.changed).toEqual([]);
    const bounds = diffConfig(before, parse(`${TWO}flows:\n  ttl: 1h\n  trifecta: block\n`));
    expect(bounds.flows).toBe(true);
    expect(bounds.needsRestart).toEqual(['flows.ttl']);
    expect(diffConfig(before, parse(TWO)).any).toBe(false);
  });
});
