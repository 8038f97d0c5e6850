/**
 * Change notifications from a 2026-07-28 upstream. A modern server sends list_changed and
 * resources/updated only inside a `subscriptions/listen` stream (pitfall 5 in the SDK notes), so the
 * shared connection keeps exactly one listen open: list changes for every list the server announces,
 * plus the union of resource URIs downstream sessions subscribed to (reference-counted). Changing the
 * URI set opens the new listen before closing the old one, so no update falls in the gap. The events
 * reach the client's ordinary notification handlers, so callers see them as on a 2025 connection.
 */
import type { Client, McpSubscription } from '@modelcontextprotocol/client';
import type { Logger } from 'pino';

export class ModernListen {
  private readonly uris = new Map<string, number>();
  private current?: McpSubscription;
  private pending: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly client: Client,
    private readonly log: Logger,
  ) {}

  start(): Promise<void> {
    return this.relisten();
  }

  /** Adds a subscriber for `uri`; the upstream is asked only when the first one arrives. */
  subscribe(uri: string): Promise<void> {
    const count = this.uris.get(uri) ?? 0;
    this.uris.set(uri, count + 1);
    return count === 0 ? this.relisten() : Promise.resolve();
  }

  unsubscribe(uri: string): Promise<void> {
    const count = this.uris.get(uri) ?? 0;
    if (count <= 1) {
      if (!this.uris.delete(uri)) return Promise.resolve();
      return this.relisten();
    }
    this.uris.set(uri, count - 1);
    return Promise.resolve();
  }

  private relisten(): Promise<void> {
    this.pending = this.pending.then(() => this.swap()).catch((err: unknown) => this.log.warn({ err: String(err) }, 'subscriptions/listen failed'));
    return this.pending;
  }

  private async swap(): Promise<void> {
    if (this.closed) return;
    const caps = (this.client.getServerCapabilities() ?? {}) as Record<string, { listChanged?: boolean; subscribe?: boolean } | undefined>;
    const filter = {
      ...(caps.tools?.listChanged && { toolsListChanged: true }),
      ...(caps.prompts?.listChanged && { promptsListChanged: true }),
      ...(caps.resources?.listChanged && { resourcesListChanged: true }),
      ...(caps.resources?.subscribe && this.uris.size > 0 && { resourceSubscriptions: [...this.uris.keys()] }),
    };
    const previous = this.current;
    this.current = Object.keys(filter).length > 0 ? await this.client.listen(filter) : undefined;
    await previous?.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.pending;
    await this.current?.close().catch(() => undefined);
    this.current = undefined;
  }
}
