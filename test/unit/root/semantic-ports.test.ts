/**
 * The semantic layer's config and wiring (issue 15): `detection.semantic` defaults (scorer on, judge
 * off), strict keys with their YAML line, a change needing a restart, and the root building the judge
 * only when it is enabled and has a key (config first, then ANTHROPIC_API_KEY), the scorer unless it
 * is switched off.
 */
import { describe, expect, it } from 'vitest';
import { AnthropicJudge, LocalScorer } from '../../../src/classifier/index.js';
import { ConfigError, diffConfig, parseConfig } from '../../../src/config/index.js';
import { checkConfigPolicy } from '../../../src/inspection.js';
import { judgeFromConfig, semanticPorts, verdictRetention } from '../../../src/semantic-ports.js';
import { MemoryVerdictStore } from '../../../src/store/index.js';
import { ManualClock } from '../../helpers/manual-clock.js';

const parse = (yaml: string, env: NodeJS.ProcessEnv = {}) => parseConfig(yaml, { file: 'w.yaml', baseDir: '/tmp', env }).config;

describe('detection.semantic', () => {
  it('defaults to the scorer on and the judge off', () => {
    const { semantic } = parse('upstreams: []\n').detection;
    expect(semantic).toMatchObject({ enabled: false, model: 'claude-haiku-5-5', judge: 'unsure', timeoutMs: 3000, failMode: 'open', maxConcurrent: 4, perMinute: 60, cacheTtlSeconds: 86400, cacheEntries: 10000 });
    expect(semantic.scorer.enabled).toBe(true);
    expect(semantic.apiKey).toBeUndefined();
  });

  it('rejects unknown keys and bad values with their line', () => {
    expect(() => parse('detection:\n  semantic:\n    enabeld: true\n')).toThrow(ConfigError);
    expect(() => parse('detection:\n  semantic:\n    failMode: maybe\n')).toThrow(/w\.yaml:3:\d+ detection\.semantic\.failMode/);
  });

  it('a change is listed as needing a restart', () => {
    const diff = diffConfig(parse('upstreams: []\n'), parse('detection:\n  semantic:\n    enabled: true\n'));
    expect(diff.needsRestart).toEqual(['detection.semantic']);
    expect(diff.any).toBe(true);
  });
});

describe('semanticPorts', () => {
  const warnings: string[] = [];
  const log = { warn: (message: unknown) => warnings.push(String(message)) } as never;

  it('builds no judge when disabled, or enabled without a key (with a warning)', () => {
    expect(judgeFromConfig(parse('upstreams: []\n').detection, { env: { ANTHROPIC_API_KEY: 'sk-ant-x' } })).toBeUndefined();
    expect(judgeFromConfig(parse('detection: { semantic: { enabled: true } }\n').detection, { env: {}, log })).toBeUndefined();
    expect(warnings.join('\n')).toMatch(/no API key.*the LLM judge is off/);
  });

  it('builds the judge from the environment key or the configured one, and loads the scorer', () => {
    const enabled = parse('detection: { semantic: { enabled: true } }\n').detection;
    expect(judgeFromConfig(enabled, { env: { ANTHROPIC_API_KEY: 'sk-ant-env' } })).toBeInstanceOf(AnthropicJudge);
    const configured = parse('detection: { semantic: { enabled: true, apiKey: "${MY_KEY}" } }\n', { MY_KEY: 'sk-ant-config' }).detection;
    const judge = judgeFromConfig(configured, { env: {} }) as AnthropicJudge;
    expect(judge.options.apiKey).toBe('sk-ant-config');
    const ports = semanticPorts(enabled, { env: { ANTHROPIC_API_KEY: 'k' } });
    expect(ports.scorer).toBeInstanceOf(LocalScorer);
    expect(ports.classifier).toBeInstanceOf(AnthropicJudge);
  });

  it('hands the judge the verdict store given (the gateway SQLite one), else a memory store with the configured bounds', () => {
    const detection = parse('detection: { semantic: { enabled: true, cacheTtlSeconds: 60, cacheEntries: 5 } }\n').detection;
    const clock = new ManualClock();
    expect(verdictRetention(detection, clock)).toEqual({ ttlMs: 60_000, maxEntries: 5, clock });
    const given = new MemoryVerdictStore();
    expect((judgeFromConfig(detection, { env: { ANTHROPIC_API_KEY: 'k' }, verdicts: given }) as AnthropicJudge).options.verdicts).toBe(given);
    const own = (judgeFromConfig(detection, { env: { ANTHROPIC_API_KEY: 'k' }, clock }) as AnthropicJudge).options.verdicts;
    expect(own).toBeInstanceOf(MemoryVerdictStore);
    for (let i = 0; i < 8; i++) own.put(`k${i}`, { label: 'benign', score: 1 }, clock.now());
    expect(own.size()).toBe(5);
    clock.advance(60_001);
    expect(own.size()).toBe(0);
  });

  it('leaves the scorer out when switched off', () => {
    expect(semanticPorts(parse('detection: { semantic: { scorer: { enabled: false } } }\n').detection)).toEqual({});
  });
});

describe('the load-time policy check knows the semantic detectors', () => {
  it('accepts keys naming the scorer, and the judge when it will run', () => {
    const issues = (yaml: string) => checkConfigPolicy(parse(yaml)).map((i) => i.message);
    const rules = 'policy:\n  rules:\n    semantic-scorer: alert\n    semantic-judge: block\n';
    expect(issues(`${rules}detection: { semantic: { enabled: true, apiKey: sk-ant-k } }\n`)).toEqual([]);
    const withoutJudge = issues(rules);
    expect(withoutJudge).toHaveLength(1);
    expect(withoutJudge[0]).toContain('semantic-judge');
  });
});
