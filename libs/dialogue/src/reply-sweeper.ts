import type { ConversationRepository } from './conversation.repository';

/** A live reply's writer beats this often (see DialogueService); one silent for the lease is taken as gone. */
export const REPLY_LEASE_SECONDS = 30;

/**
 * Interrupts replies whose writer is gone (no heartbeat for REPLY_LEASE_SECONDS), now and then
 * every lease period: a crashed gateway's replies get closed, a live one's are left alone.
 */
export class ReplySweeper {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly conversations: ConversationRepository) {}

  /** Sweeps now and starts the periodic sweep; resolves with how many the first sweep closed. */
  async start(onSwept?: (interrupted: number, error?: Error) => void): Promise<number> {
    const first = await this.conversations.interruptAbandonedReplies(REPLY_LEASE_SECONDS);
    this.timer ??= setInterval(() => {
      this.conversations.interruptAbandonedReplies(REPLY_LEASE_SECONDS).then(
        (n) => onSwept?.(n),
        (error: Error) => onSwept?.(0, error),
      );
    }, REPLY_LEASE_SECONDS * 1000);
    this.timer.unref();
    return first;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
