import { Inject, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { DialogueService } from '@zhibing/dialogue';
import {
  type Ack,
  messageSchema,
  replyCancelSchema,
  sessionStartSchema,
  validate,
  ZhibingError,
} from '@zhibing/protocol';
import type { Namespace, Socket } from 'socket.io';
import { ApiKeysService } from '../auth/api-keys.service';
import { isDatabaseOutage } from '../common/database-outage';
import { DIALOGUE } from './dialogue.provider';
import type { ZhibingConfig } from '@zhibing/config';
import { AuthError } from '../auth/auth.errors';
import { ZHIBING_CONFIG } from '../config/config.module';
import { RateLimitsService } from '../limits/rate-limits.service';
import { authenticateSocket, type SocketCaller } from './socket-auth';

const room = (conversationId: string) => `conversation:${conversationId}`;

/**
 * socket.io `/chat`: thin edge over the dialogue service. Every payload is validated with the
 * schemas shared with clients; any failure answers `{ ok: false, error }` in the ack and an
 * `error {code, message}` event, and the connection stays open.
 */
// Any page may open the socket (a widget key's origins are checked at authentication); no cookies
// are used, so the browser is never told to send credentials across origins.
// Frames up to 1 MiB are read, so an oversized message gets its typed error (message_too_large)
// instead of a dropped connection; socket.io closes the connection only above that.
@WebSocketGateway({ namespace: '/chat', cors: { origin: true, credentials: false }, maxHttpBufferSize: 1024 * 1024 })
export class ChatGateway implements OnGatewayConnection, OnApplicationShutdown {
  private readonly logger = new Logger('Chat');
  @WebSocketServer() private readonly server: Namespace;

  constructor(
    @Inject(DIALOGUE) private readonly dialogue: DialogueService,
    private readonly apiKeys: ApiKeysService,
    private readonly limits: RateLimitsService,
    @Inject(ZHIBING_CONFIG) private readonly config: ZhibingConfig,
  ) {}

  handleConnection(socket: Socket): Promise<void> {
    // Events can arrive before the key is checked: handlers wait for this promise.
    const auth = authenticateSocket(socket, this.apiKeys, this.limits).catch((error) => {
      const { code, message } = this.describe(error);
      socket.emit('error', { code, message });
      socket.disconnect(true);
      return undefined;
    });
    socket.data.auth = auth;
    return auth.then(() => undefined);
  }

  @SubscribeMessage('session.start')
  sessionStart(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown) {
    return this.handle(socket, async (caller) => {
      const input = validate(sessionStartSchema, body, 'event_invalid');
      if (caller.widgetKeyId) await this.limits.takeSession(caller.widgetKeyId, socket.data.ip as string);
      const started = await this.dialogue.startSession(caller, input);
      await socket.join(room(started.conversationId));
      return started;
    });
  }

  @SubscribeMessage('message')
  message(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown) {
    return this.handle(socket, async (caller) => {
      const input = validate(messageSchema, body, 'event_invalid');
      if (!socket.rooms.has(room(input.conversationId)))
        throw new ZhibingError('session_required', 'Start or resume the conversation with session.start first');
      if (caller.widgetKeyId) await this.limits.takeMessage(caller.widgetKeyId, socket.data.ip as string);
      const target = room(input.conversationId);
      return this.dialogue.sendMessage(caller, input, {
        emit: (event, payload) => this.server.to(target).emit(event, payload),
      });
    });
  }

  @SubscribeMessage('reply.cancel')
  cancel(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown) {
    return this.handle(socket, async (caller) => ({
      cancelled: await this.dialogue.cancel(caller, validate(replyCancelSchema, body, 'event_invalid').turnId),
    }));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dialogue.shutdown();
  }

  private async handle<T>(socket: Socket, work: (caller: SocketCaller) => Promise<T>): Promise<Ack<T>> {
    try {
      const caller = (await socket.data.auth) as SocketCaller | undefined;
      if (!caller) throw new ZhibingError('auth_unauthorized', 'Not authenticated');
      await this.recheckKey(socket);
      return { ok: true, data: await work(caller) };
    } catch (error) {
      const described = this.describe(error);
      socket.emit('error', described);
      return { ok: false, error: described };
    }
  }

  /** A key revoked while its socket is open stops working there within ZHIBING_KEY_RECHECK_MS. */
  private async recheckKey(socket: Socket): Promise<void> {
    if (Date.now() - (socket.data.keyCheckedAt as number) < this.config.keyRecheckMs) return;
    if (!(await this.apiKeys.verify(socket.data.key as string))) {
      setImmediate(() => socket.disconnect(true));
      throw AuthError.revoked();
    }
    socket.data.keyCheckedAt = Date.now();
  }

  /** Typed errors keep their code and message; anything else is logged and reported generically. */
  private describe(error: unknown): { code: string; message: string } {
    if (error instanceof ZhibingError) return { code: error.code, message: error.message };
    if (isDatabaseOutage(error))
      return { code: 'database_unavailable', message: 'The database cannot be reached; nothing was stored, try again' };
    this.logger.error({ err: error }, 'chat event failed');
    return { code: 'internal_error', message: 'Internal error' };
  }
}
