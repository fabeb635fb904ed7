import type { ServerEvents } from '@zhibing/protocol';

/** Where a conversation's server events go (the socket room of the conversation). */
export interface ReplySink {
  emit<E extends keyof ServerEvents>(event: E, payload: ServerEvents[E]): void;
}
