import { type OperatorMessage, type TakeoverState, ZhibingError } from '@zhibing/protocol';
import type { DataSource } from 'typeorm';
import type { DialogueService } from '../dialogue.service';
import { messageText } from '../message-text';
import type { ReplySink } from '../reply-sink.port';
import { type Operator, TakeoverRepository } from './takeover.repository';

/**
 * Operator take-over: a person answers a live conversation instead of the persona until they hand
 * it back. The state lives on the conversation's row, so every gateway (and a restarted one)
 * honours it; `sink` is the conversation's room, which spans gateways.
 */
export class TakeoverService {
  private readonly repository: TakeoverRepository;

  constructor(
    db: DataSource,
    private readonly dialogue: DialogueService,
  ) {
    this.repository = new TakeoverRepository(db);
  }

  /** Takes the conversation over (again, for the same key); a reply being written here is interrupted. */
  async takeOver(workspaceId: string, conversationId: string, operator: Operator, sink: ReplySink) {
    const conversation = await this.dialogue.conversations.require(workspaceId, conversationId);
    const state = await this.repository.takeOver(conversation.id, operator);
    if (!state) throw heldByOther(await this.holder(workspaceId, conversation.id));
    // The visitor hears the person now, not the end of a reply the persona was still writing.
    await this.dialogue.interruptReplies(conversation.id);
    sink.emit('conversation.takeover', {
      conversationId: conversation.id,
      operatorName: state.operatorName,
      since: state.since,
    });
    await this.dialogue.scenarioTakenOver(workspaceId, conversation.id, sink);
    return state;
  }

  /**
   * Hands the conversation back: the persona answers the visitor's next message, and a scenario
   * waiting in a hand-off phase moves on (the persona says what comes next).
   */
  async handBack(workspaceId: string, conversationId: string, sink: ReplySink) {
    const conversation = await this.dialogue.conversations.require(workspaceId, conversationId);
    if (!(await this.repository.handBack(conversation.id)))
      throw new ZhibingError('handback_conflict', `Conversation ${conversation.id} is not taken over`);
    sink.emit('conversation.handback', { conversationId: conversation.id });
    await this.dialogue.scenarioHandback(workspaceId, conversation.id, sink);
    return { conversationId: conversation.id, handedBack: true };
  }

  /**
   * Stores the operator's message as the persona's turn and delivers it to the visitor as a reply
   * from the operator; only the key holding the take-over may, once per clientMessageId.
   */
  async send(workspaceId: string, keyId: string, input: OperatorMessage, sink: ReplySink) {
    const text = messageText(input.text);
    const conversation = await this.dialogue.conversations.require(workspaceId, input.conversationId);
    const held = conversation.takeover;
    if (!held) throw notTakenOver(conversation.id);
    if (held.operatorKeyId !== keyId) throw heldByOther(held.operatorName);
    const operator = { keyId, name: held.operatorName };
    const stored = await this.repository.addOperatorTurn(conversation.id, operator, input.clientMessageId, text);
    if (!stored) throw notTakenOver(conversation.id);
    const { turn, created } = stored;
    if (created) {
      const from = { kind: 'operator' as const, name: operator.name };
      sink.emit('reply.start', { conversationId: conversation.id, turnId: turn.id, replyTo: turn.replyTo, from });
      sink.emit('reply.end', {
        conversationId: conversation.id,
        turnId: turn.id,
        text: turn.text,
        knowledge: [],
        finishReason: 'stop',
        from,
      });
    }
    return { turnId: turn.id, duplicate: !created };
  }

  /** The conversation's take-over, or null. */
  async state(workspaceId: string, conversationId: string): Promise<TakeoverState | null> {
    const conversation = await this.dialogue.conversations.require(workspaceId, conversationId);
    return conversation.takeover && { conversationId: conversation.id, ...conversation.takeover };
  }

  private async holder(workspaceId: string, conversationId: string): Promise<string> {
    return (await this.state(workspaceId, conversationId))?.operatorName ?? 'another operator';
  }
}

const heldByOther = (name: string) =>
  new ZhibingError('takeover_conflict', `The conversation is taken over by ${name}`, { operatorName: name });

const notTakenOver = (conversationId: string) =>
  new ZhibingError('takeover_required_conflict', `Take conversation ${conversationId} over before answering in it`);
