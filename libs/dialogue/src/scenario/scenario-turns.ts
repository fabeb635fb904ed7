import type { Persona } from '@zhibing/protocol';
import { ScenarioError, type ScenarioInput } from '@zhibing/scenario';
import type { ConversationRecord, ConversationRepository, TurnRecord } from '../conversation.repository';
import type { ReplySink } from '../reply-sink.port';
import type { ScenarioRuntime, StoredStep } from './scenario-runtime';
import { type ScenarioTrace, ScriptedReplyWriter } from './scripted-reply';

/** Runs work that writes a reply, tracked like every reply (cancel, shutdown, take-over interrupt it). */
export type TrackReply = (
  conversationId: string,
  replyId: string,
  work: (signal: AbortSignal) => Promise<void>,
) => void;

/**
 * The scenario's side of a conversation's turns: the steps a message, a timer, an action or a
 * hand-back cause, what the room hears about them (`scenario.state`, operators' `handoff.requested`)
 * and the persona turns of scripted lines they need.
 */
export class ScenarioTurns {
  readonly scripted: ScriptedReplyWriter;
  /** Where a workspace's operators hear hand-off requests (the gateway sets it; unset, nobody hears). */
  private operators?: (workspaceId: string) => ReplySink;

  constructor(
    readonly runtime: ScenarioRuntime,
    private readonly conversations: ConversationRepository,
    private readonly track: TrackReply,
  ) {
    this.scripted = new ScriptedReplyWriter(conversations);
  }

  /** Sends hand-off requests to the workspace's operators through `sinkOf` (the gateway's operators room). */
  useOperatorsSink(sinkOf: (workspaceId: string) => ReplySink): void {
    this.operators = sinkOf;
  }

  /** Steps the scenario with a user message (stored as `userTurn`) and tells the room what changed. */
  async message(conversation: ConversationRecord, persona: Persona, userTurn: TurnRecord, sink: ReplySink) {
    const step = await this.runtime.step(conversation, persona, { type: 'message', text: userTurn.text }, userTurn.id);
    if (step) this.announce(conversation, step, sink);
    return step;
  }

  /**
   * Steps the scenario with an input no message carries (a timer, the end button, a form, a
   * hand-back); what the persona says then is a turn of its own, streamed to `sink`. Nothing is
   * said while an operator holds the conversation: the person speaks, not the script.
   */
  async unprompted(
    conversation: ConversationRecord,
    persona: Persona,
    input: ScenarioInput,
    sink: ReplySink,
  ): Promise<StoredStep> {
    const step = await this.runtime.step(conversation, persona, input);
    if (!step)
      throw new ScenarioError('scenario_not_found', `The persona of conversation ${conversation.id} has no scenario`);
    this.announce(conversation, step, sink);
    if (step.directive.say.length && !conversation.takeover) {
      const reply = await this.conversations.openUnpromptedReply(conversation.id);
      this.track(conversation.id, reply.id, (signal) =>
        this.scripted.write(conversation.id, sink, reply, step.directive.say, traceOf(step), signal),
      );
    }
    return step;
  }

  /** `scenario.state` to the room when the view changed; `handoff.requested` to operators when one is asked for. */
  private announce(conversation: ConversationRecord, step: StoredStep, sink: ReplySink): void {
    if (step.viewChanged) sink.emit('scenario.state', { conversationId: conversation.id, scenario: step.view });
    this.announceHandoff(conversation, step);
  }

  /** Tells the workspace's operators when a step asked for a person (the start of a session too). */
  announceHandoff(conversation: ConversationRecord, step: StoredStep): void {
    if (step.handoff && step.handoffAt)
      this.operators?.(conversation.workspaceId).emit('handoff.requested', {
        conversationId: conversation.id,
        personaId: conversation.personaId,
        reason: step.handoff.reason,
        at: step.handoffAt,
      });
  }
}

/** The trace's record of a step: the phase after it and the move it made. */
export function traceOf(step: StoredStep): ScenarioTrace {
  return { phase: step.state.phase, ...(step.transition ?? {}) };
}
