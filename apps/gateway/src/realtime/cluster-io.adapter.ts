import type { INestApplication } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/postgres-adapter';
import type { Logger } from 'pino';
import type { Server, ServerOptions } from 'socket.io';
import { PubSubPool } from './pubsub-pool';

/**
 * socket.io for one gateway or many. With a Postgres server, rooms are shared between gateways
 * through `@socket.io/postgres-adapter` (LISTEN/NOTIFY), so a reply emitted to a conversation's
 * room by any gateway reaches the client wherever it is connected.
 *
 * Nest closes namespace servers (which have nothing to close) and never the root server; this
 * adapter closes the root server itself on dispose: sockets are told why and disconnected, the
 * namespace adapters closed, then the pub/sub pool ended, bounded in time.
 */
export class ClusterIoAdapter extends IoAdapter {
  private root?: Server;
  private pubsub?: PubSubPool;
  private disposed?: Promise<void>;

  constructor(
    app: INestApplication,
    private readonly options: { postgresUrl?: string; logger: Logger },
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: ServerOptions): Server {
    const server = super.createIOServer(port, options) as Server;
    this.root = server;
    if (this.options.postgresUrl) {
      this.pubsub = new PubSubPool(this.options.postgresUrl, this.options.logger);
      server.adapter(
        createAdapter(this.pubsub.facade as never, {
          errorHandler: (error: Error) =>
            this.options.logger.warn({ err: error.message }, 'socket.io pubsub: a message was not delivered'),
        }),
      );
    }
    return server;
  }

  /** Disconnects every socket with a reason; run before replies are cut off so clients know it is a shutdown. */
  disconnectAll(reason: { code: string; message: string }): void {
    for (const nsp of this.namespaces()) {
      for (const socket of nsp.sockets.values()) {
        socket.emit('error', reason);
        socket.disconnect(true);
      }
    }
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
  }

  private namespaces() {
    // socket.io keeps namespaces in a private map; `of()` would create missing ones.
    const nsps = (this.root as unknown as { _nsps?: Map<string, import('socket.io').Namespace> })?._nsps;
    return nsps ? [...nsps.values()] : [];
  }
}
