/** What socket.io's cluster adapter publishes: a message for one namespace. */
export interface ClusterMessage {
  nsp: string;
  [key: string]: unknown;
}

/** pg_notify payloads above this go through the adapter's attachment table (NOTIFY allows 8,000 bytes). */
const NOTIFY_LIMIT = 8000;
/** While the database is down, at most this many messages wait; older ones are dropped (and counted). */
const MAX_QUEUED = 10_000;
const BATCH = 200;

/**
 * Publishes socket.io cluster messages to the other gateways in the order they were emitted,
 * without making local delivery wait for the database.
 *
 * The Postgres adapter delivers a broadcast to local sockets only after its NOTIFY round trip,
 * one query per event on a pool of connections: local clients pay a database round trip per
 * reply delta, deltas sent on different connections can reach other gateways out of order, and
 * while the database is down every local event waits for the connection timeout. Here, `publish`
 * only queues; one query at a time sends the queue in order, many NOTIFYs per round trip.
 */
export class OrderedPublisher {
  private readonly queue: ClusterMessage[] = [];
  private flushing = false;
  private dropped = 0;

  constructor(
    private readonly pool: { query(text: string, values?: unknown[]): Promise<unknown> },
    private readonly channelPrefix: string,
    /** The adapter's own publish, used for messages too big for NOTIFY. */
    private readonly publishLarge: (message: ClusterMessage) => Promise<void>,
    private readonly onError: (error: Error, detail: { dropped: number }) => void,
  ) {}

  publish(message: ClusterMessage): void {
    if (this.queue.length >= MAX_QUEUED) {
      this.queue.shift();
      this.dropped++;
    }
    this.queue.push(message);
    if (this.flushing) return;
    this.flushing = true;
    // After this tick's other emits, so they go in the same round trip.
    queueMicrotask(() => this.flush().catch((error: Error) => this.report(error)));
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, BATCH);
        let small: { channel: string; payload: string }[] = [];
        for (const message of batch) {
          const payload = JSON.stringify(message);
          if (Buffer.byteLength(payload) <= NOTIFY_LIMIT) {
            small.push({ channel: `${this.channelPrefix}#${message.nsp}`, payload });
            continue;
          }
          await this.send(small);
          small = [];
          await this.publishLarge(message).catch((error: Error) => this.report(error));
        }
        await this.send(small);
      }
    } finally {
      this.flushing = false;
    }
  }

  private async send(messages: { channel: string; payload: string }[]): Promise<void> {
    if (messages.length === 0) return;
    // One statement: NOTIFYs of one transaction are delivered in order.
    const calls = messages.map((_, i) => `pg_notify($${2 * i + 1}, $${2 * i + 2})`).join(', ');
    try {
      await this.pool.query(
        `SELECT ${calls}`,
        messages.flatMap((m) => [m.channel, m.payload]),
      );
    } catch (error) {
      this.dropped += messages.length;
      this.report(error as Error);
    }
  }

  private report(error: Error): void {
    this.onError(error, { dropped: this.dropped });
  }
}
