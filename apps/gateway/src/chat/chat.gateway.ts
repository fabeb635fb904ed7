import { Inject, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { DialogueService, ReplySink, TakeoverService } from '@zhibing/dialogue';
import {
  type Ack,
  messageSchema,
  operatorJoinSchema,
  operatorMessageSchema,
  replyCancelSchema,
  scenarioActionSchema,
  sessionStartSchema,
  validate,
  ZhibingError,
} from '@zhibing/protocol';
import type { Namespace, Socket } from 'socket.io';
import { ApiKeysService } from '../auth/api-keys.service';
import { isDatabaseOutage } from '../common/database-outage';
import { DIALOGUE, TAKEOVER } from './dialogue.provider';
import type { ZhibingConfig } from '@zhibing/config';
import { AuthError } from '../auth/auth.errors';
import { ZHIBING_CONFIG } from '../config/config.module';
import { RateLimitsService } from '../limits/rate-limits.service';
import { authenticateSocket, type SocketCaller } from './socket-auth';

const room = (conversationId: string) => `conversation:${conversationId}`;
/** Operators watching a conversation: only they hear its visitor's messages (visitors are not sent their own). */
const operatorsRoom = (conversationId: string) => `operators:${conversationId}`;
/** A workspace's operators watching for hand-off requests (`operator.watch`). */
const workspaceOperatorsRoom = (workspaceId: string) => `operators-ws:${workspaceId}`;

/** What clients hear from a gateway that is shutting down (a retry on another gateway, or after a restart, works). */
const SHUTTING_DOWN = {
  code: 'gateway_unavailable',
  message: 'This gateway is shutting down: reconnect and send again',
} as const;

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
export class ChatGateway implements OnGatewayInit, OnGatewayConnection, OnApplicationShutdown {
  private readonly logger = new Logger('Chat');
  @WebSocketServer() private readonly server: Namespace;
  /** Set when the gateway shuts down: new sessions and messages are refused, replies in flight go on. */
  private closing = false;

  constructor(
    @Inject(DIALOGUE) private readonly dialogue: DialogueService,
    @Inject(TAKEOVER) private readonly takeover: TakeoverService,
    private readonly apiKeys: ApiKeysService,
    private readonly limits: RateLimitsService,
    @Inject(ZHIBING_CONFIG) private readonly config: ZhibingConfig,
  ) {}

  afterInit(): void {
    // Hand-off requests (a scenario asking for a person) reach the workspace's watching operators on every gateway.
    this.dialogue.scenarios.useOperatorsSink((workspaceId) => ({
      emit: (event, payload) => this.server.to(workspaceOperatorsRoom(workspaceId)).emit(event, payload),
    }));
  }

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
      this.assertOpen();
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
      this.assertOpen();
      const input = validate(messageSchema, body, 'event_invalid');
      if (!socket.rooms.has(room(input.conversationId)))
        throw new ZhibingError('session_required', 'Start or resume the conversation with session.start first');
      if (caller.widgetKeyId) await this.limits.takeMessage(caller.widgetKeyId, socket.data.ip as string);
      return this.dialogue.sendMessage(caller, input, this.roomSink(input.conversationId));
    });
  }

  /**
   * The end button or a form in the widget: the scenario moves on; the room hears the new view
   * (`scenario.state`) and what the persona says then. The ack carries the new view.
   */
  @SubscribeMessage('scenario.action')
  scenarioAction(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown) {
    return this.handle(socket, async (caller) => {
      this.assertOpen();
      const input = validate(scenarioActionSchema, body, 'event_invalid');
      if (!socket.rooms.has(room(input.conversationId)))
        throw new ZhibingError('session_required', 'Start or resume the conversation with session.start first');
      // An action can make the persona speak, like a message: it counts against the same limit.
      if (caller.widgetKeyId) await this.limits.takeMessage(caller.widgetKeyId, socket.data.ip as string);
      return { scenario: await this.dialogue.scenarioAction(caller, input, this.roomSink(input.conversationId)) };
    });
  }

  /** An operator (admin key) watches the workspace's hand-off requests (`handoff.requested`). */
  @SubscribeMessage('operator.watch')
  operatorWatch(@ConnectedSocket() socket: Socket) {
    return this.handle(socket, async (caller) => {
      const { workspaceId } = operatorOf(caller);
      await socket.join(workspaceOperatorsRoom(workspaceId));
      return { watching: true };
    });
  }

  /**
   * An operator (admin key) watches a conversation: its room's events and the visitor's messages
   * reach this socket from whichever gateway the visitor is on.
   */
  @SubscribeMessage('operator.join')
  operatorJoin(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown) {
    return this.handle(socket, async (caller) => {
      const { conversationId } = validate(operatorJoinSchema, body, 'event_invalid');
      const state = await this.takeover.state(operatorOf(caller).workspaceId, conversationId);
      await socket.join([room(conversationId), operatorsRoom(conversationId)]);
      return { conversationId, takeover: state };
    });
  }

  @SubscribeMessage('operator.message')
  operatorMessage(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown) {
    return this.handle(socket, async (caller) => {
      this.assertOpen();
      const input = validate(operatorMessageSchema, body, 'event_invalid');
      const { workspaceId, operatorKeyId } = operatorOf(caller);
      return this.takeover.send(workspaceId, operatorKeyId, input, this.roomSink(input.conversationId));
    });
  }

  @SubscribeMessage('operator.leave')
  operatorLeave(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown) {
    return this.handle(socket, async (caller) => {
      operatorOf(caller);
      const { conversationId } = validate(operatorJoinSchema, body, 'event_invalid');
      await socket.leave(room(conversationId));
      await socket.leave(operatorsRoom(conversationId));
      return { conversationId };
    });
  }

  /** A conversation's room on every gateway (the cluster adapter spans them): where its events go. */
  roomSink(conversationId: string): ReplySink {
    const everyone = room(conversationId);
    const operators = operatorsRoom(conversationId);
    return {
      emit: (event, payload) => this.server.to(event === 'visitor.message' ? operators : everyone).emit(event, payload),
    };
  }

  @SubscribeMessage('reply.cancel')
  cancel(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown) {
    return this.handle(socket, async (caller) => ({
      cancelled: await this.dialogue.cancel(caller, validate(replyCancelSchema, body, 'event_invalid').turnId),
    }));
  }

  /** Shutdown, step one: refuse new sessions and messages (clients retry on another gateway). */
  stopAccepting(): void {
    this.closing = true;
  }

  /**
   * Shutdown, last step: every socket is told why, then disconnected (clients reconnect elsewhere).
   * Resolves once those last packets have left (at most 1 s): the connections are cut right after.
   */
  async disconnectAll(): Promise<void> {
    const connections = [];
    for (const socket of this.server.sockets.values()) {
      socket.emit('error', SHUTTING_DOWN);
      // The namespace disconnect reaches the client ("io server disconnect"); the connection closes with the server.
      socket.disconnect();
      // engine.io keeps unsent packets here until its transport drains.
      connections.push(socket.conn as unknown as { writeBuffer: unknown[] });
    }
    for (let waited = 0; waited < 1000 && connections.some((c) => c.writeBuffer.length > 0); waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.dialogue.shutdown();
  }

  private assertOpen(): void {
    if (this.closing) throw new ZhibingError(SHUTTING_DOWN.code, SHUTTING_DOWN.message);
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
  private describe(error: unknown): { code: string; message: string; details?: Record<string, unknown> } {
    // Details name what was wrong (a form's `fields`, a validation's `issues`), as REST problem details do.
    if (error instanceof ZhibingError)
      return { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) };
    if (isDatabaseOutage(error))
      return { code: 'database_unavailable', message: 'The database cannot be reached; nothing was stored, try again' };
    this.logger.error({ err: error }, 'chat event failed');
    return { code: 'internal_error', message: 'Internal error' };
  }
}

/** Only admin keys act as operators; a widget key never sees or answers as a person. */
function operatorOf(caller: SocketCaller): SocketCaller & { operatorKeyId: string } {
  if (!caller.operatorKeyId) throw new ZhibingError('operator_forbidden', 'Only an admin key may act as an operator');
  return caller as SocketCaller & { operatorKeyId: string };
}
