import { Client, type ClientConfig } from 'pg';

/**
 * One LISTEN connection shared by everyone in the process who waits on Postgres notifications.
 * It reconnects by itself after a connection loss (with capped backoff) and tells listeners it did,
 * so they re-read whatever they may have missed meanwhile.
 */
export class PgListener {
  private client: Client | undefined;
  private readonly handlers = new Map<string, Set<(payload: string) => void>>();
  private closed = false;
  private connecting: Promise<void> | undefined;
  private reconnectDelayMs = 100;

  constructor(private readonly config: ClientConfig) {}

  /** Calls `handler` with each payload on `channel` (and with '' after a reconnect). Returns an unsubscribe. */
  async listen(channel: string, handler: (payload: string) => void): Promise<() => void> {
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      await this.ensureConnected();
      await this.client?.query(`LISTEN ${quoteIdentifier(channel)}`);
    }
    set.add(handler);
    return () => set.delete(handler);
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private ensureConnected(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new Client(this.config);
    client.on('notification', (message) => this.dispatch(message.channel, message.payload ?? ''));
    client.on('error', () => this.onLost(client));
    client.on('end', () => this.onLost(client));
    await client.connect();
    this.client = client;
    for (const channel of this.handlers.keys()) await client.query(`LISTEN ${quoteIdentifier(channel)}`);
    this.reconnectDelayMs = 100;
  }

  private onLost(client: Client): void {
    if (this.client !== client || this.closed) return;
    this.client = undefined;
    const retry = (): void => {
      if (this.closed) return;
      this.ensureConnected().then(
        () => {
          // Notifications sent while we were away are gone: wake everyone to re-read.
          for (const channel of this.handlers.keys()) this.dispatch(channel, '');
        },
        () => {
          this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, 5000);
          setTimeout(retry, this.reconnectDelayMs).unref();
        },
      );
    };
    setTimeout(retry, this.reconnectDelayMs).unref();
  }

  private dispatch(channel: string, payload: string): void {
    for (const handler of this.handlers.get(channel) ?? []) handler(payload);
  }
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
