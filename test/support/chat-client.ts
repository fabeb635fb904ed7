import { io, type Socket } from 'socket.io-client';

export interface ChatClient {
  socket: Socket;
  /** Every server event received, in order. */
  events: { event: string; payload: any }[];
  request<T = any>(
    event: string,
    payload: unknown,
  ): Promise<{ ok: boolean; data?: T; error?: { code: string; message: string } }>;
  /** Resolves with the first event matching `predicate` (already received or future). */
  waitFor(event: string, predicate?: (payload: any) => boolean, timeoutMs?: number): Promise<any>;
  /**
   * Sends a message and waits for its whole reply: the ack, reply.start (matched by replyTo),
   * reply.end, and the reply's deltas in order.
   */
  ask(
    conversationId: string,
    clientMessageId: string,
    text: string,
    timeoutMs?: number,
  ): Promise<{ accepted: any; start: any; end: any; deltas: string[] }>;
  close(): void;
}

/** A real socket.io client on the /chat namespace, recording what the server sends. */
export async function connectChat(
  url: string,
  options: { key?: string; origin?: string; forwardedFor?: string } = {},
): Promise<ChatClient> {
  const headers: Record<string, string> = {
    ...(options.origin ? { origin: options.origin } : {}),
    ...(options.forwardedFor ? { 'x-forwarded-for': options.forwardedFor } : {}),
  };
  const socket = io(`${url}/chat`, {
    auth: options.key === undefined ? {} : { key: options.key },
    transports: ['websocket'],
    extraHeaders: Object.keys(headers).length > 0 ? headers : undefined,
    reconnection: false,
    forceNew: true,
  });
  const events: ChatClient['events'] = [];
  const waiters: { event: string; predicate: (p: any) => boolean; resolve: (p: any) => void }[] = [];
  socket.onAny((event, payload) => {
    events.push({ event, payload });
    for (const waiter of [...waiters]) {
      if (waiter.event === event && waiter.predicate(payload)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(payload);
      }
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const client: ChatClient = {
    socket,
    events,
    request: (event, payload) => socket.timeout(10_000).emitWithAck(event, payload),
    waitFor(event, predicate = () => true, timeoutMs = 10_000) {
      const seen = events.find((e) => e.event === event && predicate(e.payload));
      if (seen) return Promise.resolve(seen.payload);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${event}`)), timeoutMs);
        waiters.push({
          event,
          predicate,
          resolve: (p) => {
            clearTimeout(timer);
            resolve(p);
          },
        });
      });
    },
    async ask(conversationId, clientMessageId, text, timeoutMs = 10_000) {
      const accepted = await client.request('message', { conversationId, clientMessageId, text });
      const start = await client.waitFor('reply.start', (p) => p.replyTo === accepted.data?.turnId, timeoutMs);
      const end = await client.waitFor('reply.end', (p) => p.turnId === start.turnId, timeoutMs);
      const deltas = events.filter((e) => e.event === 'reply.delta' && e.payload.turnId === start.turnId);
      return { accepted, start, end, deltas: deltas.map((e) => e.payload.text as string) };
    },
    close: () => socket.disconnect(),
  };
  return client;
}
