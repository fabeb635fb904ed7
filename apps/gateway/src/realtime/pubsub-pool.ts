import { Pool, type PoolClient } from 'pg';
import type { Logger } from 'pino';

/** How long closing may wait for the pool before giving up on it (a dropped database must not hang shutdown). */
const CLOSE_WAIT_MS = 2000;

/**
 * The pg pool behind socket.io's Postgres adapter, made safe for outages and shutdown:
 * - errors of idle and checked-out clients (the adapter's LISTEN client) are logged, never thrown
 *   as unhandled 'error' events that would crash the process;
 * - a checked-out client whose connection ends is released as broken: the adapter forgets such a
 *   client without releasing it, and `pool.end()` would then wait for it forever;
 * - `connect()` after `close()` is refused and a connection that arrives after it is destroyed, so a
 *   reconnection racing the shutdown cannot leave a client checked out;
 * - `close()` ends the pool once, waiting at most CLOSE_WAIT_MS.
 */
export class PubSubPool {
  private readonly pool: Pool;
  private closing?: Promise<void>;

  constructor(
    url: string,
    private readonly logger: Logger,
  ) {
    // Two clients: the adapter's LISTEN connection, and one for its NOTIFY publishes.
    this.pool = new Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 3000, idleTimeoutMillis: 30_000 });
    this.pool.on('error', (error) => this.logger.warn({ err: error.message }, 'socket.io pubsub: idle client failed'));
    this.pool.on('connect', (client) =>
      client.on('error', (error) => this.logger.warn({ err: error.message }, 'socket.io pubsub: connection failed')),
    );
  }

  /** The subset of pg.Pool the adapter uses. */
  readonly facade = {
    query: (text: string, values?: unknown[]) => this.pool.query(text, values),
    connect: async (): Promise<PoolClient> => {
      if (this.closing) throw new Error('socket.io pubsub pool is closed');
      const client = await this.pool.connect();
      if (this.closing) {
        client.release(true);
        throw new Error('socket.io pubsub pool is closed');
      }
      // pg-pool gives each checkout its own release; guard this one so the end handler and the adapter can both call it.
      const releaseOnce = client.release.bind(client);
      let released = false;
      const onEnd = () => release(true);
      const release = (error?: Error | boolean) => {
        if (released) return;
        released = true;
        client.off('end', onEnd);
        releaseOnce(error);
      };
      client.release = release;
      // The adapter drops a client whose connection ended without releasing it; release it here as broken.
      client.once('end', onEnd);
      return client;
    },
  };

  close(): Promise<void> {
    this.closing ??= Promise.race([
      this.pool
        .end()
        .catch((error: Error) => this.logger.warn({ err: error.message }, 'socket.io pubsub: close failed')),
      new Promise<void>((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref()),
    ]);
    return this.closing;
  }
}
