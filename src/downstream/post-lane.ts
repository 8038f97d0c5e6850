/**
 * The MCP endpoint's usual POST served beside fastify rather than through it (issue 14): routing, three
 * async `onRequest` hooks, the content-type parser and the reply machinery were ~0.25 ms of CPU per call
 * (fastify, find-my-way and their promises in the gateway's profile), for a request that then goes
 * straight to `reply.hijack()`. The lane sits in the listener's request handler and takes a request only
 * when every check fastify would make passes: POST to the exact path, a JSON content type, a declared
 * length within the body limit, an allowed Host and Origin (the same SDK checks as the fastify hooks), and
 * a valid client token when tokens are configured (checked last: it consumes the Authorization header,
 * so after it the lane never declines). Anything else goes to fastify unchanged, which answers it as
 * before (403, 401, 413, 415, 404, GET and DELETE, the admin API). The body is parsed by fastify's own
 * JSON parser (same prototype-poisoning refusals); a parse error gets the answer fastify's error handler
 * gives (`bodyErrorFor`).
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
  /** fastify's default JSON parser (`getDefaultJsonParser('error', 'error')`), called with the text only; it answers before returning. */
  parseJson: (text: string, done: (err: Error | null, body?: unknown) => void) => void;
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
      // fastify's parser answers synchronously; serving outside its callback keeps profiles honest.
      let parsed: { err: Error | null; body?: unknown } = { err: new Error('the JSON parser did not answer') };
      options.parseJson(text, (err, body) => (parsed = { err, body }));
      if (parsed.err) {
        const e = bodyErrorFor(parsed.err);
        return sendRpcError(res, e.status, e.code, e.message);
      }
      void options.serve(req, res, parsed.body);
    });
    return true;
  };
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
