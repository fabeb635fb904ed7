import type { INestApplication } from '@nestjs/common';
import { LeanIoAdapter } from '../chat/lean-io.adapter';
import { createAdapter } from '@socket.io/postgres-adapter';
import type { Logger } from 'pino';
import type { Namespace, Server, ServerOptions } from 'socket.io';
import { coalesceFlushedFrames } from './coalesced-frames';
import { type ClusterMessage, OrderedPublisher } from './ordered-publisher';
import { PubSubPool } from './pubsub-pool';
import { redisRooms } from './redis-rooms';

/** socket.io-adapter's MessageType.BROADCAST (an event emitted to rooms). */
const BROADCAST = 3;
/** Until then a starting gateway may not have heard the others' heartbeats (every 5 s): it publishes everything. */
const FIRST_HEARTBEATS_MS = 6000;

/** The parts of @socket.io/postgres-adapter's PostgresAdapter that are replaced or reused here. */
interface PublishingAdapter {
  /** Other gateways heard from (heartbeats every 5 s; forgotten after 10 s of silence). */
  nodesMap: Map<string, number>;
  client: { publish(message: ClusterMessage): Promise<void> };
  doPublish(message: ClusterMessage): Promise<string>;
  doPublishResponse(requesterUid: string, response: ClusterMessage): Promise<void>;
}

/**
 * socket.io for one gateway or many. Rooms are shared between gateways through Redis pub/sub
 * (REDIS_URL) or Postgres LISTEN/NOTIFY (`@socket.io/postgres-adapter`), so a reply emitted to a
 * conversation's room by any gateway reaches the client wherever it is connected.
 *
 * Nest closes namespace servers (which have nothing to close) and never the root server; this
 * adapter closes the root server itself on dispose: sockets are told why and disconnected, the
 * namespace adapters closed, then the pub/sub connections ended, bounded in time.
 */
export class ClusterIoAdapter extends LeanIoAdapter {
  private root?: Server;
  private pubsub?: PubSubPool;
  private redis?: ReturnType<typeof redisRooms>;
  private disposed?: Promise<void>;

  constructor(
    app: INestApplication,
    private readonly options: { postgresUrl?: string; redisUrl?: string; logger: Logger },
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options) as Server;
    this.root = server;
    coalesceFlushedFrames(server);
    if (this.options.redisUrl) {
      this.redis = redisRooms(this.options.redisUrl, this.options.logger);
      server.adapter(this.redis.adapter);
    } else if (this.options.postgresUrl) {
      const pubsub = new PubSubPool(this.options.postgresUrl, this.options.logger);
      this.pubsub = pubsub;
      const logger = this.options.logger;
      const factory = createAdapter(pubsub.facade as never, {
        errorHandler: (error: Error) => logger.warn({ err: error.message }, 'socket.io pubsub: a message failed'),
      });
      // socket.io calls `new` on this: a plain function returning the adapter object.
      server.adapter(function clusterAdapter(nsp: Namespace) {
        const adapter = factory(nsp) as unknown as PublishingAdapter;
        const created = Date.now();
        const large = adapter.client.publish.bind(adapter.client);
        const publisher = new OrderedPublisher(pubsub.facade, 'socket.io', large, (error, { dropped }) =>
          logger.warn({ err: error.message, dropped }, 'socket.io pubsub: events did not reach the other gateways'),
        );
        // Local sockets get each event at once, the other gateways in order (see OrderedPublisher).
        adapter.doPublish = (message) => {
          // Alone, a broadcast has no one to reach: a single gateway on Postgres pays no NOTIFY per event.
          // Heartbeats still go out, so a gateway that starts later is heard at once (its first heartbeat).
          const settled = Date.now() - created > FIRST_HEARTBEATS_MS;
          if (message.type === BROADCAST && settled && adapter.nodesMap.size === 0) return Promise.resolve('');
          publisher.publish(message);
          return Promise.resolve('');
        };
        adapter.doPublishResponse = (_requester, response) => {
          publisher.publish(response);
          return Promise.resolve();
        };
        return adapter;
      } as never);
    }
    return server;
  }

  override async dispose(): Promise<void> {
    this.disposed ??= this.closeRoot();
    return this.disposed;
  }

  private async closeRoot(): Promise<void> {
    const root = this.root;
    if (!root) return;
    // Server.close() closes each namespace's adapter (the Postgres one releases its LISTEN client)
    // and the engine; its http server close is Nest's job, so it is detached first.
    const namespaces = this.namespaces();
    for (const nsp of namespaces) for (const socket of nsp.sockets.values()) socket.disconnect(true);
    await Promise.allSettled(namespaces.map(async (nsp) => nsp.adapter.close()));
    root.engine.close();
    await this.pubsub?.close();
    await this.redis?.close();
  }

  private namespaces() {
    // socket.io keeps namespaces in a private map; `of()` would create missing ones.
    const nsps = (this.root as unknown as { _nsps?: Map<string, Namespace> })?._nsps;
    return nsps ? [...nsps.values()] : [];
  }
}
