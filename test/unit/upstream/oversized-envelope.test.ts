/**
 * Recovering the envelope of an oversized JSON-RPC line from its two ends (issue 7, item 2): the id sits
 * first (Python, Rust, Go serializers) or last (the TypeScript SDK); an "id" inside the payload is never
 * taken for the envelope's, and a server request is told apart from a response by its method.
 */
import { describe, expect, it } from 'vitest';
import { recoverEnvelope } from '../../../src/upstream/oversized-envelope.js';

const cut = (line: string, edge = 64) => recoverEnvelope(line.slice(0, edge), line.slice(-edge));
const pad = 'z'.repeat(500);

describe('recoverEnvelope', () => {
  it('finds the id at the start of a response', () => {
    expect(cut(`{"jsonrpc":"2.0","id":42,"result":{"content":[{"type":"text","text":"${pad}"}]}}`)).toEqual({ id: 42 });
  });

  it('finds the id at the end of a response (TypeScript SDK order)', () => {
    expect(cut(`{"result":{"content":[{"type":"text","text":"${pad}"}]},"jsonrpc":"2.0","id":7}`)).toEqual({ id: 7 });
  });

  it('reads string ids and whitespace', () => {
    expect(cut(`{ "jsonrpc" : "2.0" , "id" : "req-\\"1\\"" , "result" : { "t" : "${pad}" } }`)).toEqual({ id: 'req-"1"' });
  });

  it('never takes an id nested in the payload', () => {
    expect(cut(`{"result":{"items":[{"id":1}],"t":"${pad}","last":{"id":2}},"jsonrpc":"2.0"}`)).toEqual({});
    expect(cut(`{"jsonrpc":"2.0","result":{"id":3,"t":"${pad}"}}`)).toEqual({});
  });

  it('reports the method of a server request, wherever its members are', () => {
    expect(cut(`{"jsonrpc":"2.0","id":5,"method":"sampling/createMessage","params":{"t":"${pad}"}}`)).toEqual({ id: 5, method: 'sampling/createMessage' });
    expect(cut(`{"method":"roots/list","params":{"t":"${pad}"},"jsonrpc":"2.0","id":6}`)).toEqual({ id: 6, method: 'roots/list' });
  });

  it('gives up quietly on text that is not a JSON object or is cut inside a member', () => {
    expect(cut(`not json at all ${pad}`)).toEqual({});
    expect(recoverEnvelope('{"jsonrpc":"2.0","id":12', '')).toEqual({});
    expect(recoverEnvelope('', '"ab\\\\"}')).toEqual({});
  });
});
