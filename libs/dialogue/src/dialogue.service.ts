import type { KnowledgeService } from '@zhibing/knowledge';
import type { PersonaRepository } from '@zhibing/persona';
import {
  type ChatMessageEvent,
  type MessageAccepted,
  type Persona,
  type ScenarioAction,
  type ScenarioView,
  type SessionStart,
  type SessionStarted,
  ZhibingError,
} from '@zhibing/protocol';
import { defaultPhaseHandlers, greetingOf, type PhaseHandlers, ScenarioMachine } from '@zhibing/scenario';
import { assertPersonaAllowed, type Caller } from './caller';
import { type ConversationRecord, ConversationRepository, type TurnRecord } from './conversation.repository';
import { ReplySweeper } from './reply-sweeper';
import { messageText } from './message-text';
import { HistoryRepository } from './history.repository';
import { TurnHistory } from './turn-history';
import type { ReplySink } from './reply-sink.port';
import type { Responder } from './responder.port';
import { type ReplyAbout, type ReplyTarget, ReplyWriter } from './reply-writer';
import { sessionGreeting } from './session-greeting';
import { type QuestionBankLookup, ScenarioRuntime } from './scenario/scenario-runtime';
import { ScenarioStateRepository } from './scenario/scenario-state.repository';
import { ScenarioTurns, traceOf } from './scenario/scenario-turns';
import { failReply, scriptText } from './scenario/scripted-reply';

interface ActiveReply {
  conversationId: string;
  controller: AbortController;
  done: Promise<void>;
}

/**
 * The product's main job: sessions with a persona, user messages stored before they are
 * acknowledged, and knowledge-grounded replies streamed to the conversation and stored with
 * their trace when they end — or marked interrupted / failed, never silently lost.
 */
export class DialogueService {
  readonly conversations: ConversationRepository;
  private readonly active = new Map<string, ActiveReply>();
  private readonly writer: ReplyWriter;
  private readonly sweeper: ReplySweeper;
  readonly scenarios: ScenarioTurns;

  constructor(
    db: import('typeorm').DataSource,
    knowledge: KnowledgeService,
    private readonly personas: PersonaRepository,
    private readonly responder: Responder,
    private readonly options: {
      historyBudget?: number;
      /** How many of the newest earlier exchanges a turn reads (default HISTORY_WINDOW). */
      historyWindow?: number;
      /** How long persona versions and knowledge-base ids are reused before being read again (ms). */
      lookupCacheMs?: number;
      /** Phase handlers by kind (default: every built-in one). */
      phaseHandlers?: PhaseHandlers;
      /** A workspace's stored question banks (interviews); the flow's own banks otherwise. */
      questionBanks?: QuestionBankLookup;
      /** The scenarios' clock (tests fix it). */
      clock?: () => Date;
    } = {},
  ) {
    this.conversations = new ConversationRepository(db);
    this.sweeper = new ReplySweeper(this.conversations);
    const history = new TurnHistory(new HistoryRepository(db), knowledge.embedder, responder, options.historyWindow);
    this.writer = new ReplyWriter(this.conversations, knowledge, personas, responder, history, options);
    const runtime = new ScenarioRuntime(
      new ScenarioMachine(options.phaseHandlers ?? defaultPhaseHandlers()),
      new ScenarioStateRepository(db),
      (workspaceId, id) => this.conversations.require(workspaceId, id),
      options.questionBanks,
      options.clock,
    );
    this.scenarios = new ScenarioTurns(runtime, this.conversations, (conversationId, replyId, work) =>
      this.track(conversationId, replyId, (controller) => work(controller.signal)),
    );
  }

  get responderName(): string {
    return this.responder.name;
  }

  /** Starts a conversation, or resumes one (its turns, including any reply the client missed). */
  async startSession(caller: Caller, input: SessionStart): Promise<SessionStarted> {
    assertPersonaAllowed(caller, input.personaId);
    if (input.conversationId) {
      const conversation = await this.conversations.get(caller.workspaceId, input.conversationId);
      if (conversation && conversation.personaId === input.personaId) {
        const stored = await this.personas.requireForChat(
          caller.workspaceId,
          conversation.personaId,
          conversation.personaVersion,
          conversation.visitorName ?? undefined,
        );
        const flow = this.scenarios.runtime.flowOf(stored.persona);
        // A conversation whose scenario start was never stored (a crash right after creating it) starts it now.
        const scenario =
          this.scenarios.runtime.view(conversation, stored.persona) ??
          (await this.scenarios.runtime.start(conversation, stored.persona))?.view;
        return {
          conversationId: conversation.id,
          persona: { id: stored.persona.id, name: stored.persona.name, version: stored.version },
          greeting: (flow && greetingOf(flow)) ?? sessionGreeting(stored.persona, conversation.id),
          avatarUrl: stored.avatarUrl,
          resumed: true,
          ...(scenario ? { scenario } : {}),
          history: await this.conversations.transcript(conversation.id),
          ...(conversation.takeover
            ? { operator: { name: conversation.takeover.operatorName, since: conversation.takeover.since } }
            : {}),
        };
      }
      if (!conversation) throw new ZhibingError('conversation_not_found', `No conversation ${input.conversationId}`);
    }
    const stored = await this.personas.requireForChat(
      caller.workspaceId,
      input.personaId,
      undefined,
      input.visitorName,
    );
    // A flow this deployment cannot run is refused before anything is stored.
    this.scenarios.runtime.assertRunnable(stored.persona);
    const conversation = await this.conversations.create({
      workspaceId: caller.workspaceId,
      personaId: stored.persona.id,
      personaVersion: stored.version,
      visitorId: input.visitorId,
      visitorName: input.visitorName,
      channel: caller.channel,
    });
    const started = await this.scenarios.runtime.start(conversation, stored.persona);
    if (started) this.scenarios.announceHandoff(conversation, started);
    return {
      conversationId: conversation.id,
      persona: { id: stored.persona.id, name: stored.persona.name, version: stored.version },
      greeting: started?.directive.say.length
        ? scriptText(started.directive.say)
        : sessionGreeting(stored.persona, conversation.id),
      avatarUrl: stored.avatarUrl,
      resumed: false,
      history: [],
      ...(started ? { scenario: started.view } : {}),
    };
  }

  /**
   * Stores the user's message (once per clientMessageId) and starts the reply, which streams to
   * `sink`. Resolves as soon as the message is stored: that is the acknowledgement.
   */
  async sendMessage(caller: Caller, input: ChatMessageEvent, sink: ReplySink): Promise<MessageAccepted> {
    const text = messageText(input.text);
    const conversation = await this.conversations.require(caller.workspaceId, input.conversationId);
    assertPersonaAllowed(caller, conversation.personaId);
    // Taken over: the message is stored and reaches the operator; a person answers it, not the persona.
    if (conversation.takeover) return this.holdForOperator(conversation.id, input.clientMessageId, text, sink);
    const stored = await this.conversations.addMessage(conversation.id, input.clientMessageId, text);
    const { turn, created } = stored;
    const context = { caller, conversationId: conversation.id, personaId: conversation.personaId, sink, conversation };
    const about = {
      personaVersion: conversation.personaVersion,
      visitorName: conversation.visitorName,
      userTurn: turn,
      priorUserTurns: stored.priorUserTurns,
    };
    if (created) {
      sink.emit('visitor.message', { conversationId: conversation.id, turnId: turn.id, seq: turn.seq, text });
      // A newer message supersedes a reply still being written in this conversation.
      for (const reply of this.active.values()) if (reply.conversationId === conversation.id) reply.controller.abort();
      this.startReply(context, about, stored.reply!, true);
    } else if (turn.text !== text) {
      // A retry resends the same message; the same id with other text is a client bug, not a retry.
      throw new ZhibingError(
        'message_conflict',
        `clientMessageId "${input.clientMessageId}" was already used for another message`,
      );
    } else if (await this.answersRetry(conversation.id, turn)) {
      this.startReply(context, about, await this.conversations.openReply(conversation.id, turn.id));
    }
    return { turnId: turn.id, duplicate: !created };
  }

  /**
   * Whether a retried message gets a new reply: when its reply never started (the first attempt
   * failed right after storing it), or ended interrupted or failed (a crash, an engine error, a
   * cancel) while it is still the conversation's last exchange — a retry is the client asking for
   * the answer it did not get. A complete reply, one still streaming, or one followed by newer
   * turns is left as it is.
   */
  private async answersRetry(conversationId: string, turn: TurnRecord): Promise<boolean> {
    const reply = await this.conversations.replyTo(turn.id);
    if (!reply) return true;
    if (reply.status !== 'interrupted' && reply.status !== 'failed') return false;
    return this.conversations.isLastTurn(conversationId, reply.seq);
  }

  /** Interrupts the replies this process is writing in a conversation (an operator took it over). */
  async interruptReplies(conversationId: string): Promise<void> {
    const replies = [...this.active.values()].filter((r) => r.conversationId === conversationId);
    for (const reply of replies) reply.controller.abort();
    await Promise.all(replies.map((r) => r.done));
  }

  /** A message in a taken-over conversation: stored once per clientMessageId and shown to the operator. */
  private async holdForOperator(
    conversationId: string,
    clientMessageId: string,
    text: string,
    sink: ReplySink,
  ): Promise<MessageAccepted> {
    const { turn, created } = await this.conversations.addUserTurn(conversationId, clientMessageId, text);
    if (!created && turn.text !== text)
      throw new ZhibingError(
        'message_conflict',
        `clientMessageId "${clientMessageId}" was already used for another message`,
      );
    if (created) sink.emit('visitor.message', { conversationId, turnId: turn.id, seq: turn.seq, text });
    return { turnId: turn.id, duplicate: !created };
  }

  /** Cancels a reply being written; its partial text is kept, marked interrupted. */
  async cancel(caller: Caller, turnId: string): Promise<boolean> {
    const reply = this.active.get(turnId);
    if (!reply) return false;
    await this.conversations.require(caller.workspaceId, reply.conversationId);
    reply.controller.abort();
    await reply.done;
    return true;
  }

  /** Replies currently being written. */
  get activeReplies(): number {
    return this.active.size;
  }

  /** Waits for every reply in flight (shutdown, tests). */
  async whenIdle(): Promise<void> {
    await Promise.all([...this.active.values()].map((r) => r.done));
  }

  /** Stops every reply in flight, keeping their partial text as interrupted. */
  async shutdown(): Promise<void> {
    this.stopSweeping();
    for (const reply of this.active.values()) reply.controller.abort();
    await this.whenIdle();
  }

  /**
   * Interrupts replies whose writer is gone, now and every lease period (see ReplySweeper).
   * Resolves with how many the first sweep closed.
   */
  startSweeping(onSwept?: (interrupted: number, error?: Error) => void): Promise<number> {
    return this.sweeper.start(onSwept);
  }

  stopSweeping(): void {
    this.sweeper.stop();
  }

  /**
   * Writes the opened reply in the background, tracked until it ends. A new message (`step`)
   * first moves the conversation's scenario, whose directive says whether the reply answers from
   * knowledge, says scripted lines, or both. A retried message's reply is a plain answer: its
   * step was taken when it was first stored.
   */
  private startReply(context: MessageTarget, about: ReplyAbout, reply: TurnRecord, step = false): void {
    this.track(context.conversationId, reply.id, async (controller) => {
      const { caller, conversation, sink } = context;
      let scenario;
      try {
        const { persona } = await this.writer.persona(
          caller.workspaceId,
          context.personaId,
          about.personaVersion,
          about.visitorName,
        );
        if (step) scenario = await this.scenarios.message(conversation, persona, about.userTurn, sink);
      } catch (error) {
        sink.emit('reply.start', { conversationId: conversation.id, turnId: reply.id, replyTo: about.userTurn.id });
        await failReply(this.conversations, conversation.id, sink, reply, '', controller.signal, error);
        throw error;
      }
      // Nothing scripted to say (a phase entered without a line): the message gets the normal answer.
      if (!scenario || scenario.directive.answer || scenario.directive.say.length === 0) {
        const lines = scenario && { say: scenario.directive.say, trace: traceOf(scenario) };
        return this.writer.write(context, about, reply, controller, lines);
      }
      const { say } = scenario.directive;
      return this.scenarios.scripted.write(
        conversation.id,
        sink,
        reply,
        say,
        traceOf(scenario),
        controller.signal,
        (text, degraded) => this.writer.exchangeOf(about.userTurn.text, text, degraded),
      );
    });
  }

  /** Runs a reply's work in the background, tracked (cancel, shutdown, take-over) until it ends. */
  private track(conversationId: string, replyId: string, work: (controller: AbortController) => Promise<void>): void {
    const controller = new AbortController();
    const done = work(controller)
      .catch(() => undefined)
      .finally(() => this.active.delete(replyId));
    this.active.set(replyId, { conversationId, controller, done });
  }

  /**
   * The end button or a form from the widget: the scenario moves, the room hears its new view,
   * and what the persona says then streams as a turn of its own. Answers the new view.
   */
  async scenarioAction(caller: Caller, action: ScenarioAction, sink: ReplySink): Promise<ScenarioView> {
    const conversation = await this.conversations.require(caller.workspaceId, action.conversationId);
    assertPersonaAllowed(caller, conversation.personaId);
    const input =
      action.action === 'end'
        ? { type: 'action' as const, action: 'end' as const }
        : { type: 'form' as const, phase: action.phase, values: action.values };
    return (await this.scenarios.unprompted(conversation, await this.personaOf(conversation), input, sink)).view;
  }

  /** A scenario timer came due (see the gateway's timers): the scenario moves on without a message. */
  async fireScenarioTimer(workspaceId: string, conversationId: string, sink: ReplySink): Promise<boolean> {
    const conversation = await this.conversations.require(workspaceId, conversationId);
    const persona = await this.personaOf(conversation);
    if (!this.scenarios.runtime.flowOf(persona)) return false;
    return (await this.scenarios.unprompted(conversation, persona, { type: 'timer' }, sink)).changed;
  }

  /** An operator handed the conversation back: a hand-off phase is done, the persona says what comes next. */
  async scenarioHandback(workspaceId: string, conversationId: string, sink: ReplySink): Promise<void> {
    const conversation = await this.conversations.require(workspaceId, conversationId);
    const persona = await this.personaOf(conversation);
    if (this.scenarios.runtime.flowOf(persona))
      await this.scenarios.unprompted(conversation, persona, { type: 'handback' }, sink);
  }

  /** An operator took the conversation over: the room hears the scenario's view, no longer waiting for a person. */
  async scenarioTakenOver(workspaceId: string, conversationId: string, sink: ReplySink): Promise<void> {
    const conversation = await this.conversations.require(workspaceId, conversationId);
    const view = this.scenarios.runtime.view(conversation, await this.personaOf(conversation));
    if (view) sink.emit('scenario.state', { conversationId: conversation.id, scenario: view });
  }

  private async personaOf(conversation: ConversationRecord): Promise<Persona> {
    const { workspaceId, personaId, personaVersion, visitorName } = conversation;
    return (await this.writer.persona(workspaceId, personaId, personaVersion, visitorName)).persona;
  }
}

/** A reply to a user message: where it goes, and the conversation as read when the message came. */
interface MessageTarget extends ReplyTarget {
  conversation: ConversationRecord;
}
