/**
 * Parser and envelope mapping for detector golden files (`test/golden/detectors/**\/*.golden`).
 * Format: optional `#` comment lines; header lines `@surface description|result|arguments|prompt`
 * (required), `@tool NAME`, `@schema {json}`, `@direction`; a line `---`; the input verbatim; a line
 * `---`; expected findings one per line as `<rule> <severity>` or `none`; optionally another `---` and
 * the expected rewritten text after the default policy.
 */
import type { Direction, Envelope } from '../../../src/core/index.js';

export type Surface = 'description' | 'result' | 'arguments' | 'prompt';

export interface Golden {
  surface: Surface;
  tool?: string;
  schema?: unknown;
  direction?: Direction;
  input: string;
  expected: string[];
  rewritten?: string;
}

const SURFACES: readonly Surface[] = ['description', 'result', 'arguments', 'prompt'];

export function parseGolden(source: string): Golden {
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  const sections: string[][] = [[]];
  for (const line of lines) {
    if (line === '---') sections.push([]);
    else sections[sections.length - 1]?.push(line);
  }
  if (sections.length < 3) throw new Error('a golden file needs a header, `---`, the input, `---`, and the expected findings');
  const golden = parseHeader(sections[0] ?? []);
  golden.input = (sections[1] ?? []).join('\n');
  const expected = (sections[2] ?? []).map((l) => l.trim()).filter((l) => l !== '');
  golden.expected = expected.length === 1 && expected[0] === 'none' ? [] : expected;
  if (golden.expected.some((e) => !/^\S+ (?:info|low|medium|high|critical)$/.test(e))) {
    throw new Error(`expected findings must be "<rule> <severity>" or "none": ${expected.join(' | ')}`);
  }
  if (sections.length >= 4) golden.rewritten = sections.slice(3).map((s) => s.join('\n')).join('\n---\n').replace(/\n$/, '');
  return golden;
}

function parseHeader(lines: readonly string[]): Golden {
  const golden: Partial<Golden> = {};
  for (const line of lines) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const m = /^@(\w+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`unexpected header line: ${line}`);
    const [, key, value = ''] = m;
    if (key === 'surface') {
      if (!SURFACES.includes(value.trim() as Surface)) throw new Error(`unknown surface ${value}`);
      golden.surface = value.trim() as Surface;
    } else if (key === 'tool') golden.tool = value.trim();
    else if (key === 'schema') golden.schema = JSON.parse(value) as unknown;
    else if (key === 'direction') golden.direction = value.trim() as Direction;
    else throw new Error(`unknown header @${key}`);
  }
  if (!golden.surface) throw new Error('missing @surface');
  return { ...golden, surface: golden.surface, input: '', expected: [] };
}

export function envelopeOf(g: Golden): Envelope {
  const base = { upstream: 'golden' };
  switch (g.surface) {
    case 'description': {
      const name = g.tool ?? 't';
      const tool = { name, description: g.input, inputSchema: g.schema ?? { type: 'object' } };
      return { ...base, method: 'tools/list', direction: g.direction ?? 'to_client', tool: name, payload: tool };
    }
    case 'result':
      return { ...base, method: 'tools/call', direction: g.direction ?? 'to_client', ...(g.tool ? { tool: g.tool } : {}), payload: { content: [{ type: 'text', text: g.input }] } };
    case 'arguments': {
      const name = g.tool ?? 't';
      return { ...base, method: 'tools/call', direction: g.direction ?? 'to_upstream', tool: name, payload: { name, arguments: JSON.parse(g.input) as unknown } };
    }
    case 'prompt':
      return { ...base, method: 'sampling/createMessage', direction: g.direction ?? 'to_client', payload: { messages: [{ role: 'user', content: { type: 'text', text: g.input } }], maxTokens: 1024 } };
  }
}

/** The rewritten text of the surface inside a redacted payload (arguments are compared as JSON). */
export function rewrittenText(g: Golden, payload: unknown): string {
  const p = payload as Record<string, unknown>;
  if (g.surface === 'description') return String(p['description']);
  if (g.surface === 'arguments') return JSON.stringify(p['arguments']);
  if (g.surface === 'prompt') return String(((p['messages'] as { content: { text: string } }[])[0])?.content.text);
  return String(((p['content'] as { text: string }[])[0])?.text);
}
