/**
 * The MCP POST lane in front of fastify (issue 14): it serves only what passes every check fastify's
 * route would make and leaves everything else, untouched, to the fallback (fastify). Real node:http
 * server on 127.0.0.1, real fetch; the body refusals are checked against fastify's own default parser.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { principalOf, tokenChecker } from '../../../src/downstream/auth.js';
import { postLane } from '../../../src/downstream/post-lane.js';

let server: Server;
let base: string;
let served: Array<{ body: unknown; principal: string }>;
let fallback: number;
let tokens: string[];

beforeEach(async () => {
  served = [];
  fallback = 0;
  tokens = [];
  const lane = postLane({
    path: '/mcp',
    bodyLimit: 1000,
    allowedHosts: ['127.0.0.1', 'localhost'],
    allowedOrigins: ['127.0.0.1', 'localhost'],
    tokensRequired: () => tokens.length > 0,
    clientTokens: tokenChecker(() => tokens),
    serve: async (req, res, body) => {
      served.push({ body, principal: principalOf(req) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"lane":true}');
    },
  });
  server = createServer((req, res) => {
    if (lane(req, res)) return;
    fallback++;
    req.resume();
    req.once('end', () => {
      res.writeHead(299);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe('the MCP POST lane (issue 14)', () => {
  test('serves a JSON POST to the exact path with a declared length, parsed', async () => {
    const res = await post('/mcp', '{"jsonrpc":"2.0","id":1,"method":"ping"}', { 'content-type': 'Application/JSON; charset=utf-8' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ lane: true });
    expect(served).toEqual([{ body: { jsonrpc: '2.0', id: 1, method: 'ping' }, principal: '' }]);
    expect(fallback).toBe(0);
  });

  test('leaves everything else to the fallback: other methods, paths, content types, no or too large a length, foreign Host or Origin', async () => {
    const statuses = [
      (await fetch(`${base}/mcp`)).status,
      (await post('/mcp?x=1', '{}')).status,
      (await post('/other', '{}')).status,
      (await post('/mcp', '{}', { 'content-type': 'text/plain' })).status,
      (await post('/mcp', 'x'.repeat(1001))).status,
      (await post('/mcp', '{}', { origin: 'http://evil.example' })).status,
    ];
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${base}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      req.write('{}');
      req.end();
    });
    const foreignHost = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${base}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', host: 'evil.example', 'content-length': '2' } }, (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      req.end('{}');
    });
    expect([...statuses, chunked, foreignHost]).toEqual(Array(8).fill(299));
    expect(served).toEqual([]);
  });

  test('answers a body fastify cannot parse as its error handler does: not JSON, empty, prototype poisoning', async () => {
    for (const body of ['{not json', '', '{"__proto__":{"x":1}}', '{"a":[{"constructor":{"prototype":{"x":1}}}]}', '{"\\u005f_proto__":{}}']) {
      const res = await post('/mcp', body);
      expect(res.status, body).toBe(400);
      expect(await res.json()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: body is not valid JSON' } });
    }
    expect(served).toEqual([]);
    expect(fallback).toBe(0);
  });

  test("refuses exactly the bodies fastify's default JSON parser refuses", async () => {
    const parse = Fastify().getDefaultJsonParser('error', 'error');
    const fastifyRefuses = (text: string) => {
      let refused = false;
      parse(undefined as never, text, (err) => (refused = err !== null));
      return refused;
    };
    const bodies = ['{"id":1}', '[]', '"x"', '{"constructor":"x"}', '{"constructor":{"a":1}}', '{"a":{"constructor":{"prototype":1}}}', '{"proto":1,"__proto":2}', '{"\\u0063onstructor":{"prototype":{}}}', '{"x":"\\u00e9"}', '{"__proto__":null}', '  ', '{"a":1'];
    for (const body of bodies) {
      const res = await post('/mcp', body);
      expect(res.status === 400, body).toBe(fastifyRefuses(body));
      await res.arrayBuffer();
    }
  });

  test('with tokens: a valid one is served as its principal; a missing or wrong one goes to the fallback without the header', async () => {
    tokens = ['s3cret-token'];
    await post('/mcp', '{"id":1}', { authorization: 'Bearer s3cret-token' });
    expect(served).toEqual([{ body: { id: 1 }, principal: expect.stringMatching(/^token:[0-9a-f]{12}$/) }]);
    expect((await post('/mcp', '{}', { authorization: 'Bearer wrong' })).status).toBe(299);
    expect((await post('/mcp', '{}')).status).toBe(299);
    expect(served).toHaveLength(1);
  });
});
