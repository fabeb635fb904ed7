import { Client, type ClientConfig } from 'pg';
import { KNOWLEDGE_CHANNEL } from '../store/knowledge-change.repository';
import type { KnowledgeChangeFeed, KnowledgeChangeListener } from './knowledge-change-feed.port';

const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 10_000;

/**
 * LISTEN on a Postgres server over a dedicated connection (a pooled one would be handed to other
 * queries), reconnecting with backoff when it drops. After every (re)connection `onConnected`
 * runs, so that notices missed while disconnected are caught up from the change log.
 */
export class PostgresChangeFeed implements KnowledgeChangeFeed {
  private client?: Client;
  private closed = false;
  private retryMs = RETRY_MIN_MS;
  private timer?: NodeJS.Timeout;
  private listener?: KnowledgeChangeListener;
  private onConnected?: () => void;

  /** `alive()`: whether the database this feed serves is still open (closing it stops the feed). */
  constructor(
    private readonly config: ClientConfig,
    private readonly alive: () => boolean,
    private readonly onError: (error: Error) => void,
  ) {}

  start(listener: KnowledgeChangeListener, onConnected: () => void): void {
    if (this.listener) return;
    this.listener = listener;
    this.onConnected = onConnected;
    void this.connect();
  }

  /** The server sends NOTIFY to every listener, this process's included. */
  publish(): void {}

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch((error: Error) => this.onError(error));
  }

  private async connect(): Promise<void> {
    if (this.closed || !this.alive()) return;
    const client = new Client(this.config);
    // An error on an idle listening connection arrives as an event; it ends in a reconnect.
    client.on('error', (error) => {
      // Once its database is closed, the listener's connection ending is the shutdown, not a fault.
      if (this.alive() && !this.closed) this.onError(error);
      this.drop(client);
    });
    client.on('end', () => this.drop(client));
    client.on('notification', (message) => {
      if (message.channel !== KNOWLEDGE_CHANNEL || !message.payload) return;
      try {
        const { kb, version } = JSON.parse(message.payload) as { kb: string; version: number };
        this.listener?.(kb, Number(version));
      } catch (error) {
        this.onError(error as Error);
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${KNOWLEDGE_CHANNEL}`);
    } catch (error) {
      if (this.alive() && !this.closed) this.onError(error as Error);
      this.drop(client);
      return;
    }
    if (this.closed) return void (await client.end().catch((error: Error) => this.onError(error)));
    // A listener must not keep a process alive that has nothing else to do.
    (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
    this.client = client;
    this.retryMs = RETRY_MIN_MS;
    this.onConnected?.();
  }

  private drop(client: Client): void {
    if (this.client === client) this.client = undefined;
    else if (this.client !== undefined) return;
    client.removeAllListeners('end');
    client.end().catch((error: Error) => this.onError(error));
    if (this.closed || !this.alive() || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.connect();
    }, this.retryMs);
    this.timer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }
}
