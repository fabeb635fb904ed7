import { type BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ZhibingConfig } from '@zhibing/config';
import type { DialogueService } from '@zhibing/dialogue';
import type { Server } from 'node:http';
import { ZHIBING_CONFIG } from '../config/config.module';
import { ChatGateway } from './chat.gateway';
import { DIALOGUE } from './dialogue.provider';

/**
 * SIGTERM (or app.close()) in order, before Nest tears down sockets and the database:
 * 1. stop accepting: the port is closed, new sessions and messages are refused;
 * 2. replies in flight get ZHIBING_SHUTDOWN_GRACE_MS to finish, then are interrupted with their
 *    text stored (and their lease released), and their clients get reply.end;
 * 3. every socket is told why (`error gateway_unavailable`) and disconnected.
 * Nest then closes the servers with forceCloseConnections, so an unresponsive client (a
 * websocket that never answers the close handshake) cannot hold the process for ws's 30 s.
 */
@Injectable()
export class GracefulShutdownService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Shutdown');

  constructor(
    private readonly chat: ChatGateway,
    @Inject(DIALOGUE) private readonly dialogue: DialogueService,
    private readonly http: HttpAdapterHost,
    @Inject(ZHIBING_CONFIG) private readonly config: ZhibingConfig,
  ) {}

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    const started = Date.now();
    const server = this.http.httpAdapter?.getHttpServer() as Server | undefined;
    // Stops listening; Nest's own close later finishes the job.
    if (server?.listening) server.close();
    this.chat.stopAccepting();
    const streaming = this.dialogue.activeReplies;
    const finished = await Promise.race([
      this.dialogue.whenIdle().then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), this.config.shutdownGraceMs).unref()),
    ]);
    // Interrupts what is left: partial text stored as interrupted, reply.end sent to the room.
    await this.dialogue.shutdown();
    await this.chat.disconnectAll();
    this.logger.log(
      { signal, streaming, interrupted: finished ? 0 : streaming, ms: Date.now() - started },
      'stopped accepting, replies saved, sockets closed',
    );
  }
}
