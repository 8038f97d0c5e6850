/**
 * The one adapter between the gateway and the SDK's server surface (issue 8 item 10). The gateway relays
 * JSON it does not re-validate (`Json`); the SDK types every method's params. The casts between the two
 * live here, each stated once with the reason it is sound, so the rest of gateway/ never casts an SDK
 * object. It also holds the one SDK internal the gateway replaces, `McpServer.toolInputSchemaJson`
 * (`@internal` in the SDK), pinned by test/unit/gateway/sdk-server.test.ts so an SDK upgrade that stops
 * calling it fails a test instead of silently skipping `Mcp-Param-*` validation.
 */
import type { LoggingMessageNotification, McpServer, Server, ServerContext } from '@modelcontextprotocol/server';
import type { Json } from '../core/index.js';

type LogParams = LoggingMessageNotification['params'];

/**
 * An upstream's `notifications/message` params, relayed verbatim with `logger` defaulted to the upstream's
 * name. Sound: `level` and `data` come from the upstream as they are; the SDK's level filter compares the
 * level with the session's, and an upstream that sends an unknown level is the upstream's mistake, passed on.
 */
function logParams(params: Json, logger: string): LogParams {
  return { ...params, logger: typeof params.logger === 'string' ? params.logger : logger } as LogParams;
}

/** Sends an upstream log message on a request's own stream (filtered by that request's log level). */
export function logOnRequest(ctx: ServerContext, params: Json, logger: string): Promise<void> {
  const message = logParams(params, logger);
  return ctx.mcpReq.log(message.level, message.data, message.logger);
}

/** Sends an upstream log message on a session's standalone stream (`sessionId` undefined: the sessionless stdio one). */
export function logToSession(server: Server, params: Json, logger: string, sessionId: string | undefined): Promise<void> {
  return server.sendLoggingMessage(logParams(params, logger), sessionId);
}

/**
 * Serves `tools/call`'s `Mcp-Param-*` header validation (SEP-2243) from the merged catalog: the SDK's HTTP
 * entry asks an McpServer for each tool's input schema, and the gateway's McpServer registers no tools.
 * A schema that is not a JSON object (an upstream's mistake) declares no headers.
 */
export function serveToolSchemas(mcp: McpServer, schemaOf: (name: string) => unknown): void {
  const toolInputSchemaJson: McpServer['toolInputSchemaJson'] = (name) => {
    const schema = schemaOf(name);
    return schema !== null && typeof schema === 'object' && !Array.isArray(schema) ? (schema as Json) : undefined;
  };
  Object.defineProperty(mcp, 'toolInputSchemaJson', { value: toolInputSchemaJson });
}
