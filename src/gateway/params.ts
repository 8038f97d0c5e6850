/**
 * Params of the spec requests the gateway serves are checked against the spec's own schemas before
 * anything runs (issue 7, item 16): a bad `logging/setLevel` level, a numeric `protocolVersion`,
 * `tools/call` `arguments` that are not an object or a missing `name` answer -32602 and are never
 * forwarded. Without this the SDK's built-in handlers threw a plain error (-32603), and the fallback
 * handler reached the upstream client, which refused some of them only after inspection.
 * Two entry points: `ValidatingServer` (the low-level Server whose own handlers, `initialize` and
 * `logging/setLevel`, are wrapped through the SDK's documented `_wrapHandler` hook) and `checkParams`
 * (called by dispatch.ts for everything the fallback handler serves).
 */
import {
  CallToolRequestSchema,
  CompleteRequestSchema,
  GetPromptRequestSchema,
  InitializeRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  PingRequestSchema,
  ReadResourceRequestSchema,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/core';
import { ProtocolError, Server } from '@modelcontextprotocol/server';

interface RequestSchema {
  safeParse(value: unknown): { success: true } | { success: false; error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> } };
}

/** Keyed by the client's method name, so a Map (issue 7, item 1). */
const SCHEMAS: ReadonlyMap<string, RequestSchema> = new Map<string, RequestSchema>([
  ['initialize', InitializeRequestSchema],
  ['ping', PingRequestSchema],
  ['logging/setLevel', SetLevelRequestSchema],
  ['tools/list', ListToolsRequestSchema],
  ['prompts/list', ListPromptsRequestSchema],
  ['resources/list', ListResourcesRequestSchema],
  ['resources/templates/list', ListResourceTemplatesRequestSchema],
  ['tools/call', CallToolRequestSchema],
  ['prompts/get', GetPromptRequestSchema],
  ['resources/read', ReadResourceRequestSchema],
  ['resources/subscribe', SubscribeRequestSchema],
  ['resources/unsubscribe', UnsubscribeRequestSchema],
  ['completion/complete', CompleteRequestSchema],
]);

/** Throws -32602 when `params` do not fit the spec schema of `method` (methods without one pass). */
export function checkParams(method: string, params: unknown): void {
  const schema = SCHEMAS.get(method);
  if (!schema) return;
  const parsed = schema.safeParse(params === undefined ? { method } : { method, params });
  if (parsed.success) return;
  const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.filter((p) => p !== 'params').map(String).join('.') || 'params'}: ${i.message}`);
  throw new ProtocolError(-32602, `Invalid params for ${method}: ${issues.join('; ')}`);
}

/** The SDK's low-level Server with every registered handler's params checked first. */
export class ValidatingServer extends Server {
  protected override _wrapHandler(method: string, handler: Parameters<Server['_wrapHandler']>[1]): ReturnType<Server['_wrapHandler']> {
    const inner = super._wrapHandler(method, handler);
    return async (request, ctx) => {
      checkParams(method, request.params);
      return inner(request, ctx);
    };
  }
}
