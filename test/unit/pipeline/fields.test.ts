import { describe, expect, it } from 'vitest';
import { extract, extractFields, MAX_DEPTH } from '../../../src/pipeline/fields.js';
import type { Envelope } from '../../../src/core/index.js';

const env = (method: string, payload: unknown, direction: Envelope['direction'] = 'to_client'): Envelope => ({ method, direction, upstream: 'u', payload });
const paths = (e: Envelope): string[] => extractFields(e).map((f) => `${f.role}:${f.path}`);

describe('extractFields', () => {
  it('walks one tool: name, description, schema names, nested descriptions, enums, defaults, examples', () => {
    const tool = {
      name: 'add', title: 'Add', description: 'Adds.',
      inputSchema: { type: 'object', properties: { note: { type: 'string', description: 'A note', default: 'x', enum: ['a'], examples: ['e'] }, list: { type: 'array', items: { type: 'object', properties: { deep: { description: 'Deep' } } } } } },
      outputSchema: { type: 'object', properties: { out: { description: 'Out' } } },
      annotations: { title: 'Adder', readOnlyHint: true },
    };
    expect(paths(env('tools/list', tool))).toEqual([
      'name:name', 'prose:title', 'prose:description',
      'name:inputSchema.properties.note', 'prose:inputSchema.properties.note.description', 'prose:inputSchema.properties.note.default',
      'prose:inputSchema.properties.note.enum[0]', 'prose:inputSchema.properties.note.examples[0]',
      'name:inputSchema.properties.list', 'name:inputSchema.properties.list.items.properties.deep',
      'prose:inputSchema.properties.list.items.properties.deep.description',
      'name:outputSchema.properties.out', 'prose:outputSchema.properties.out.description', 'prose:annotations.title',
    ]);
  });

  it('reads call results but never ids, URIs, mimeTypes or binary data', () => {
    const result = {
      content: [
        { type: 'text', text: 'hello' },
        { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
        { type: 'resource', resource: { uri: 'file:///a', mimeType: 'text/plain', text: 'embedded' } },
        { type: 'resource', resource: { uri: 'file:///b', blob: 'AAAA' } },
      ],
      structuredContent: { items: [{ id: 'x', label: 'leaf' }] },
      isError: false,
    };
    expect(paths(env('tools/call', result))).toEqual([
      'prose:content[0].text', 'prose:content[2].resource.text', 'prose:structuredContent.items[0].id', 'prose:structuredContent.items[0].label',
    ]);
  });

  it('reads upstream-bound arguments as argument leaves', () => {
    const e = env('tools/call', { name: 'run', arguments: { command: 'ls', opts: { cwd: '/tmp' } } }, 'to_upstream');
    expect(paths(e)).toEqual(['argument:arguments.command', 'argument:arguments.opts.cwd']);
  });

  it('covers initialize, prompts, resources, sampling and elicitation', () => {
    expect(paths(env('initialize', { instructions: 'Be nice' }))).toEqual(['prose:instructions']);
    expect(paths(env('resources/read', { contents: [{ uri: 'a', text: 't' }, { uri: 'b', blob: 'AA' }] }))).toEqual(['prose:contents[0].text']);
    expect(paths(env('prompts/get', { messages: [{ role: 'user', content: { type: 'text', text: 'q' } }] }))).toEqual(['prose:messages[0].content.text']);
    expect(paths(env('prompts/list', { name: 'p', description: 'd', arguments: [{ name: 'a', description: 'ad' }] }))).toEqual([
      'name:name', 'prose:description', 'name:arguments[0].name', 'prose:arguments[0].description',
    ]);
    expect(paths(env('sampling/createMessage', { systemPrompt: 's', messages: [{ role: 'user', content: { type: 'text', text: 'm' } }] }))).toEqual([
      'prose:systemPrompt', 'prose:messages[0].content.text',
    ]);
    expect(paths(env('elicitation/create', { message: 'm', requestedSchema: { properties: { email: { description: 'e' } } } }))).toEqual([
      'prose:message', 'name:requestedSchema.properties.email', 'prose:requestedSchema.properties.email.description',
    ]);
    expect(paths(env('resources/list', { name: 'r', uri: 'file:///r', title: 't', description: 'd', mimeType: 'text/plain' }))).toEqual([
      'name:name', 'prose:title', 'prose:description',
    ]);
    expect(paths(env('resources/templates/list', { resourceTemplates: [{ name: 'n', uriTemplate: 'x://{id}', description: 'd' }] }))).toEqual([
      'name:resourceTemplates[0].name', 'prose:resourceTemplates[0].description',
    ]);
    expect(paths(env('notifications/progress', { progressToken: 'x' }))).toEqual([]);
  });

  it('reports where nesting passes MAX_DEPTH, and only when there is something left to walk (issue 7, item 5)', () => {
    const nest = (depth: number, leaf: unknown): unknown => (depth === 0 ? leaf : { n: nest(depth - 1, leaf) });
    const args = (depth: number, leaf: unknown): Envelope => ({ method: 'tools/call', direction: 'to_upstream', upstream: 'u', payload: { arguments: nest(depth, leaf) } });
    expect(MAX_DEPTH).toBe(32);
    expect(extract(args(32, 'x')).tooDeep).toBeUndefined();
    expect(extract(args(33, 'x')).tooDeep).toBeUndefined();
    expect(extract(args(33, 'x')).fields.map((f) => f.path)).toEqual([`arguments${'.n'.repeat(33)}`]);
    expect(extract(args(33, {})).tooDeep).toBeUndefined();
    expect(extract(args(34, 'x')).tooDeep).toBe(`arguments${'.n'.repeat(33)}`);
    expect(extract(args(40, [])).tooDeep).toBe(`arguments${'.n'.repeat(33)}`);
    const items = (depth: number): unknown => (depth === 0 ? { description: 'd' } : { items: items(depth - 1) });
    const schema = { method: 'tools/list', direction: 'to_client', upstream: 'u', payload: { name: 't', inputSchema: items(40) } } as Envelope;
    expect(extract(schema).tooDeep).toBe(`inputSchema${'.items'.repeat(33)}`);
    const error = { method: 'tools/call', direction: 'to_client', upstream: 'u', payloadKind: 'error', payload: { error: { code: 1, message: 'm', data: nest(40, 'x') } } } as Envelope;
    expect(extract(error).tooDeep).toBe(`error.data${'.n'.repeat(33)}`);
  });
});

