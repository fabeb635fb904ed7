import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { ZhibingConfig } from '@zhibing/config';
import type { DialogueService } from '@zhibing/dialogue';
import { ZhibingError } from '@zhibing/protocol';
import { ChatGateway } from '../chat/chat.gateway';
import { DIALOGUE } from '../chat/dialogue.provider';
import { ZHIBING_CONFIG } from '../config/config.module';

/** Due conversations claimed per round. */
const BATCH = 20;
/** A claimed timer not handled within this (its claimer died) is claimed again by any gateway. */
const LEASE_MS = 30_000;
/** A local timeout fires this much after the due time, so the database's clock agrees it is due. */
const SLACK_MS = 25;

/**
 * Fires scenario timers (a phase's countdown) without any message: the scenario moves on and
 * the persona's line streams to the conversation's room. Every gateway polls for due timers
 * (ZHIBING_SCENARIO_POLL_MS) and claims them with `FOR UPDATE SKIP LOCKED` and a lease, so each
 * fires once across gateways and after a restart; a timer this process stored also gets a local
 * timeout, so it fires on time rather than up to a poll later.
 */
@Injectable()
export class ScenarioTimersService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ScenarioTimers');
  private poller?: NodeJS.Timeout;
  private readonly soon = new Set<NodeJS.Timeout>();
  private running?: Promise<number>;
  /** Asked to fire while a drain ran: it looks once more before it ends. */
  private again = false;
  private stopped = false;

  constructor(
    @Inject(DIALOGUE) private readonly dialogue: DialogueService,
    private readonly chat: ChatGateway,
    @Inject(ZHIBING_CONFIG) private readonly config: ZhibingConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.dialogue.scenarios.runtime.whenDue((dueAt) => this.at(dueAt));
    this.poller = setInterval(() => this.fireDue(), this.config.scenarioPollMs);
    this.poller.unref();
    this.fireDue();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poller);
    for (const timeout of this.soon) clearTimeout(timeout);
    this.soon.clear();
    await this.running;
  }

  /**
   * Fires every timer due now, batch after batch until none is left (one drain at a time in this
   * process: a call during a drain makes it look once more); resolves with how many moved their
   * scenario. Failures are logged and the timer's lease runs out, so it is tried again.
   */
  fireDue(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => (this.running = undefined));
    return this.running;
  }

  private async drain(): Promise<number> {
    let fired = 0;
    for (let more = true; more && !this.stopped;) {
      this.again = false;
      const round = await this.round();
      fired += round.fired;
      more = round.full || this.again;
    }
    return fired;
  }

  /** One batch: claimed, then stepped side by side (each conversation's step is its own). */
  private async round(): Promise<{ fired: number; full: boolean }> {
    const repository = this.dialogue.scenarios.runtime.repository;
    try {
      if (!(await repository.anyDue())) return { fired: 0, full: false };
      const claimed = await repository.claimDue(BATCH, LEASE_MS);
      const moved = await Promise.all(
        claimed.map(async ({ workspaceId, conversationId }) => {
          try {
            const sink = this.chat.roomSink(conversationId);
            const changed = await this.dialogue.fireScenarioTimer(workspaceId, conversationId, sink);
            await repository.syncDue(conversationId);
            return changed;
          } catch (error) {
            await this.failed(conversationId, error);
            return false;
          }
        }),
      );
      return { fired: moved.filter(Boolean).length, full: claimed.length === BATCH };
    } catch (error) {
      this.logger.error({ err: error }, 'claiming due scenario timers failed');
      return { fired: 0, full: false };
    }
  }

  /**
   * A timer that could not fire: tried again after its lease, unless what it needs is gone (the
   * persona version or the conversation: `*_not_found`), which no retry brings back.
   */
  private async failed(conversationId: string, error: unknown): Promise<void> {
    if (error instanceof ZhibingError && error.code.endsWith('_not_found')) {
      this.logger.warn({ err: error, conversationId }, 'a scenario timer was dropped: what it needs is gone');
      await this.dialogue.scenarios.runtime.repository.clearDue(conversationId);
      return;
    }
    this.logger.error({ err: error, conversationId }, 'a scenario timer failed; retried after its lease');
  }

  /** A local timeout for a due time this process stored. */
  private at(dueAt: Date): void {
    if (this.stopped) return;
    const timeout = setTimeout(
      () => {
        this.soon.delete(timeout);
        this.fireDue();
      },
      Math.max(0, dueAt.getTime() - Date.now() + SLACK_MS),
    );
    timeout.unref();
    this.soon.add(timeout);
  }
}
