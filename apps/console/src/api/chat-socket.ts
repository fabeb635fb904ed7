import type { Ack, MessageAccepted, ServerEvents, SessionStarted, TakeoverState } from '@zhibing/protocol';
import { io, type Socket } from 'socket.io-client';

/** The console's side of the /chat socket: the same protocol as the widget, with the admin key. */
export class ChatSocket {
  private readonly socket: Socket;

  constructor(key: string) {
    this.socket = io('/chat', { auth: { key }, transports: ['websocket'] });
  }

  on<E extends keyof ServerEvents>(event: E, listener: (payload: ServerEvents[E]) => void): void {
    this.socket.on(event as string, listener as (payload: unknown) => void);
  }

  onConnectError(listener: (error: Error) => void): void {
    this.socket.on('connect_error', listener);
  }

  /** Opens a conversation; `visitorName` is what `{{user}}` in the persona's texts becomes. */
  startSession(personaId: string, visitorName?: string): Promise<SessionStarted> {
    return this.call<SessionStarted>('session.start', { personaId, ...(visitorName ? { visitorName } : {}) });
  }

  send(conversationId: string, text: string): Promise<MessageAccepted> {
    return this.call<MessageAccepted>('message', { conversationId, clientMessageId: crypto.randomUUID(), text });
  }

  /** Operator: hear a conversation live (its visitor's messages too); the ack says who holds it. */
  operatorJoin(conversationId: string): Promise<{ conversationId: string; takeover: TakeoverState | null }> {
    return this.call('operator.join', { conversationId });
  }

  /** Operator: hear the workspace's hand-off requests (`handoff.requested`) as visitors make them. */
  operatorWatch(): Promise<unknown> {
    return this.call('operator.watch', {});
  }

  /** Operator: answer the visitor as a person (only while this key holds the take-over). */
  operatorSend(conversationId: string, text: string): Promise<MessageAccepted> {
    return this.call('operator.message', { conversationId, clientMessageId: crypto.randomUUID(), text });
  }

  close(): void {
    this.socket.close();
  }

  private call<T>(event: string, payload: unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      this.socket.timeout(15_000).emit(event, payload, (timeout: Error | null, ack: Ack<T>) => {
        if (timeout) reject(timeout);
        else if (ack.ok) resolve(ack.data);
        else reject(Object.assign(new Error(ack.error.message), { code: ack.error.code }));
      });
    });
  }
}
