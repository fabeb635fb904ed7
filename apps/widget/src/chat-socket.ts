import type {
  Ack,
  ChatMessageEvent,
  MessageAccepted,
  ScenarioAction,
  ServerEvents,
  SessionStart,
  SessionStarted,
} from '@zhibing/protocol';
import { io, type Socket } from 'socket.io-client';

/** Server → widget events, as socket.io listeners. */
export type ServerListeners = { [K in keyof ServerEvents]: (payload: ServerEvents[K]) => void };

/** Widget → server requests and what each ack carries. */
interface Requests {
  'session.start': [SessionStart, SessionStarted];
  message: [ChatMessageEvent, MessageAccepted];
  'reply.cancel': [{ turnId: string }, { cancelled: boolean }];
  'scenario.action': [ScenarioAction, unknown];
}
type ClientEmits = {
  [K in keyof Requests]: (payload: Requests[K][0], ack: (ack: Ack<Requests[K][1]>) => void) => void;
};

/** An ack that does not come in time is answered `request_timeout`, shaped like a server's typed error. */
const TIMEOUT_MS = 20_000;

export type Outcome<T> = Ack<T>;

/**
 * The /chat socket (the socket.io client is bundled privately into the widget: nothing is put on
 * `window`). `request` turns an emit with an ack into a promise that always settles.
 */
export class ChatSocket {
  private readonly socket: Socket<ServerListeners, ClientEmits>;
  /** Requests awaiting their ack, settled with a typed error if the connection drops first. */
  private readonly waiting = new Set<(error: { code: string; message: string }) => void>();
  /** The server's last `error` event: why it closed the connection, when it does (a bad key). */
  private lastError?: { code: string; message: string };

  constructor(server: string, key: string) {
    this.socket = io(`${server}/chat`, { auth: { key }, transports: ['websocket', 'polling'], autoConnect: false });
    (this.socket.on as (event: string, listener: (error: { code: string; message: string }) => void) => void)(
      'error',
      (error) => (this.lastError = error),
    );
    this.socket.on('connect', () => (this.lastError = undefined));
    this.socket.on('disconnect', () => {
      const error = this.lastError ?? { code: 'connection_failed', message: 'disconnected' };
      for (const fail of [...this.waiting]) fail(error);
    });
  }

  /** Requests awaiting their ack: their errors are shown by whoever asked, not by the `error` event. */
  get pending(): number {
    return this.waiting.size;
  }

  on<K extends keyof ServerListeners>(event: K, listener: ServerListeners[K]): void {
    (this.socket.on as (event: string, listener: unknown) => void)(event, listener);
  }

  onConnection(handlers: { connect(): void; disconnect(): void; failed(message: string): void }): void {
    this.socket.on('connect', handlers.connect);
    this.socket.on('disconnect', handlers.disconnect);
    this.socket.on('connect_error', (error) => handlers.failed(error.message));
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  connect(): void {
    this.socket.connect();
  }

  request<K extends keyof Requests>(event: K, payload: Requests[K][0]): Promise<Outcome<Requests[K][1]>> {
    return new Promise<Outcome<Requests[K][1]>>((resolve) => {
      const settle = (outcome: Outcome<Requests[K][1]>) => {
        if (!this.waiting.delete(fail)) return;
        resolve(outcome);
      };
      const fail = (error: { code: string; message: string }) => settle({ ok: false, error });
      this.waiting.add(fail);
      this.lastError = undefined;
      // socket.io's typed emit cannot express "ack with an error first" for a mapped event list.
      const timed = this.socket.timeout(TIMEOUT_MS) as unknown as {
        emit(event: K, payload: Requests[K][0], ack: (error: Error | null, ack: Ack<Requests[K][1]>) => void): void;
      };
      timed.emit(event, payload, (error, ack) =>
        error ? fail({ code: 'request_timeout', message: error.message }) : settle(ack),
      );
    });
  }
}
