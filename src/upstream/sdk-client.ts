/**
 * The one adapter between the gateway and the SDK's client surface (issue 8 item 10). The gateway relays
 * JSON it does not re-validate (`Json`); the SDK types every method's params and results. The casts
 * between the two live here, each stated once with the reason it is sound, so the rest of upstream/ never
 * casts an SDK object.
 * - Pushes (`sampling/createMessage`, `elicitation/create`, `roots/list`) are answered with whatever the
 *   downstream client answered, verbatim: the SDK validates the result against its schema before sending
 *   it upstream, so typing the handler's result as `Json` loses nothing.
 * - A gateway refusal reaches the upstream as the error table's JSON-RPC error (`asProtocolError`).
 */
import { ProtocolError, type Client, type ProgressCallback } from '@modelcontextprotocol/client';
import { toJsonRpcError, WatchdogError, type Json, type PushMethod } from '../core/index.js';

/** What an upstream sees when the gateway refuses its request: the error table's code and message. */
export function asProtocolError(err: unknown): unknown {
  if (!(err instanceof WatchdogError)) return err;
  const e = toJsonRpcError(err);
  return new ProtocolError(e.code, e.message, e.data);
}

/** Answers the upstream's `method` requests with `answer` (its params as relayed JSON); a thrown WatchdogError becomes its JSON-RPC error. */
export function answerPush(client: Client, method: PushMethod, answer: (params: Json) => Promise<Json>): void {
  const handler = async (request: { params?: Json }): Promise<Json> => {
    try {
      return await answer(request.params ?? {});
    } catch (err) {
      throw asProtocolError(err);
    }
  };
  // Sound: `method` is one of the three push methods, whose params are objects, and the result is
  // validated by the SDK against that method's result schema before it is sent.
  client.setRequestHandler(method as 'roots/list', handler as never);
}

/** Routes every notification the client has no handler for to `listener`, as relayed JSON. */
export function onNotification(client: Client, listener: (notification: { method: string; params?: Json }) => void): void {
  client.fallbackNotificationHandler = async (notification) => listener(notification as { method: string; params?: Json });
}

/** Sends a parameterless notification (e.g. `notifications/roots/list_changed`) upstream. */
export async function notifyUpstream(client: Client, method: string): Promise<void> {
  // Sound: a notification with a method and no params is valid JSON-RPC; the SDK's union of known
  // notifications does not list every method the gateway relays.
  await client.notification({ method } as Parameters<Client['notification']>[0]);
}

/** The SDK's progress callback for a relay's `onprogress` (progress notifications' params, as relayed JSON). */
export function progressCallback(onprogress: ((progress: Json) => void) | undefined): ProgressCallback | undefined {
  return onprogress === undefined ? undefined : (progress) => onprogress(progress as Json);
}
