import { createAdapter } from '@socket.io/redis-adapter';
import type { Logger } from 'pino';
import { createClient } from 'redis';

/** How long closing may wait for Redis before the clients are dropped. */
const CLOSE_WAIT_MS = 2000;

/**
 * socket.io rooms shared through Redis pub/sub (REDIS_URL). The Redis adapter publishes without
 * waiting and delivers to local sockets at once; one connection publishes, in order. The clients
 * reconnect on their own; their errors are logged, never thrown (a Redis outage only stops
 * events from crossing to other gateways).
 */
export function redisRooms(url: string, logger: Logger) {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const [name, client] of [
    ['publish', pub],
    ['subscribe', sub],
  ] as const) {
    client.on('error', (error: Error) => logger.warn({ err: error.message, client: name }, 'socket.io redis: failed'));
    // Commands wait in the client's queue until it is connected.
    client.connect().catch((error: Error) => logger.warn({ err: error.message }, 'socket.io redis: cannot connect'));
  }
  return {
    adapter: createAdapter(pub, sub),
    async close(): Promise<void> {
      const quit = Promise.allSettled([pub.quit(), sub.quit()]);
      const late = await Promise.race([
        quit.then(() => false),
        new Promise<true>((resolve) => setTimeout(() => resolve(true), CLOSE_WAIT_MS).unref()),
      ]);
      if (late) await Promise.allSettled([pub.disconnect(), sub.disconnect()]);
    },
  };
}
