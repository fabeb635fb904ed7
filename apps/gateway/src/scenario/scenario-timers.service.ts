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
   * Fires every timer due now (one round at a time in this process); resolves with how many
   * moved their scenario. Failures are logged and the timer's lease runs out, so it is tried again.
   */
  fireDue(): Promise<number> {
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<number> {
    if (this.stopped) return 0;
    const repository = this.dialogue.scenarios.runtime.repository;
    let fired = 0;
    try {
      if (!(await repository.anyDue())) return 0;
      for (const { workspaceId, conversationId } of await repository.claimDue(BATCH, LEASE_MS)) {
        try {
          if (await this.dialogue.fireScenarioTimer(workspaceId, conversationId, this.chat.roomSink(conversationId)))
            fired++;
          await repository.syncDue(conversationId);
        } catch (error) {
          await this.failed(conversationId, error);
        }
      }
    } catch (error) {
      this.logger.error({ err: error }, 'claiming due scenario timers failed');
    }
    return fired;
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
