/**
 * The MCP endpoint's usual POST served beside fastify rather than through it (issue 14): routing, three
 * async `onRequest` hooks, the content-type parser and the reply machinery were ~0.25 ms of CPU per call
 * (fastify, find-my-way and their promises in the gateway's profile), for a request that then goes
 * straight to `reply.hijack()`. The lane sits in the listener's request handler and takes a request only
 * when every check fastify would make passes: POST to the exact path, a JSON content type, a declared
 * length within the body limit, an allowed Host and Origin (the same SDK checks as the fastify hooks), and
 * a valid client token when tokens are configured (checked last: it consumes the Authorization header,
 * so after it the lane never declines). Anything else goes to fastify unchanged, which answers it as
 * before (403, 401, 413, 415, 404, GET and DELETE, the admin API). The body is parsed as fastify's default
 * JSON parser does (an empty body, bad JSON, a `__proto__` key or a `constructor` holding `prototype`
 * refused), and such a body gets the answer fastify's error handler gives it (400, -32700).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { validateHostHeader, validateOriginHeader } from '@modelcontextprotocol/server';
import { setPrincipal, type TokenCheck } from './auth.js';
import { bodyErrorFor, sendRpcError } from './http-errors.js';

export interface PostLaneOptions {
  path: string;
  bodyLimit: number;
  /** Hostnames the Host header may name; undefined: not checked (as without the fastify hook). */
  allowedHosts: readonly string[] | undefined;
  allowedOrigins: readonly string[];
  /** Whether client tokens are configured now (a reload may change it). */
  tokensRequired: () => boolean;
  clientTokens: TokenCheck;
  /** Serves the parsed request (what the fastify route's handler does after `hijack`). */
  serve: (req: IncomingMessage, res: ServerResponse, body: unknown) => Promise<void>;
}

/** Returns a handler that serves `req` and answers true, or answers false and leaves it untouched. */
export function postLane(options: PostLaneOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const allowedHosts = options.allowedHosts && [...options.allowedHosts];
  const allowedOrigins = [...options.allowedOrigins];
  return (req, res) => {
    if (req.method !== 'POST' || req.url !== options.path) return false;
    if (!isJson(req.headers['content-type']) || req.headers['transfer-encoding'] !== undefined) return false;
    const length = Number(req.headers['content-length']);
    if (!Number.isInteger(length) || length < 0 || length > options.bodyLimit) return false;
    if (allowedHosts && !validateHostHeader(req.headers.host, allowedHosts).ok) return false;
    if (!validateOriginHeader(req.headers.origin, allowedOrigins).ok) return false;
    if (options.tokensRequired()) {
      const principal = options.clientTokens(req);
      // The header is gone now; fastify answers 401 for a missing or unknown token alike.
      if (principal === undefined) return false;
      setPrincipal(req, principal);
    }
    readBody(req, (text) => {
      const body = parseJsonBody(text);
      if (body === REFUSED) {
        const e = bodyErrorFor(new SyntaxError('body is not valid JSON'));
        return sendRpcError(res, e.status, e.code, e.message);
      }
      void options.serve(req, res, body);
    });
    return true;
  };
}

const REFUSED = Symbol('refused');

/**
 * What fastify's default JSON parser (secure-json-parse, `onProtoPoisoning` and
 * `onConstructorPoisoning` both 'error') accepts: the parsed value, or REFUSED for an empty body, bad
 * JSON, or an object with an own `__proto__` key or a `constructor` key holding an own `prototype`.
 * Only a text that could name either key (or hides one behind a `\u` escape) is walked.
 */
function parseJsonBody(text: string): unknown {
  if (text.length === 0) return REFUSED;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return REFUSED;
  }
  if (!text.includes('__proto__') && !text.includes('constructor') && !text.includes('\\u')) return value;
  return poisoned(value) ? REFUSED : value;
}

function poisoned(root: unknown): boolean {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (Object.hasOwn(node, '__proto__')) return true;
    const ctor: unknown = Object.hasOwn(node, 'constructor') ? Reflect.get(node, 'constructor') : undefined;
    if (typeof ctor === 'object' && ctor !== null && Object.hasOwn(ctor, 'prototype')) return true;
    for (const key of Object.keys(node)) pending.push(Reflect.get(node, key));
  }
  return false;
}

/** `application/json`, with or without parameters (what fastify's JSON parser is registered for). */
function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const semicolon = contentType.indexOf(';');
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase() === 'application/json';
}

function readBody(req: IncomingMessage, done: (text: string) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.once('end', () => done(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8')));
  // A client that goes away mid-body: nothing to answer.
  req.once('error', () => req.destroy());
}
