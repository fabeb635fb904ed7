import type { PhaseHandler } from '../contract';
import { matchIntents } from '../intents';
import { frontDeskTexts } from './front-desk-texts';

/**
 * Asks for a person: entering says the phase's line ("正在为您转接工作人员") and raises a hand-off
 * with the visitor's words as the reason (operators see it in the console). Until an operator takes
 * over, each message gets a waiting line and no answer from the knowledge base: a person is coming.
 * The runtime ends the phase when the operator hands the conversation back; the visitor's `cancel`
 * intent ends it too.
 */
export const handoffPhase: PhaseHandler = {
  kind: 'handoff',

  async enter(phase, context) {
    const reason = context.text?.trim().slice(0, 500) || 'requested';
    return {
      data: { reason, requestedAt: context.now.toISOString() },
      directive: { answer: false, say: [phase.say ?? frontDeskTexts(context.locale).handoff] },
      handoff: { reason },
    };
  },

  async message(phase, data, text, context) {
    const t = frontDeskTexts(context.locale);
    // "取消": the visitor stops waiting (the `cancel` intent, unless the phase's `on` moves it elsewhere).
    if (!phase.on.cancel && matchIntents(context.flow, text).includes('cancel'))
      return { data, directive: { answer: false, say: [t.handoffCancelled] }, done: true };
    return { data, directive: { answer: false, say: [t.waiting] } };
  },

  view(phase) {
    return { waitingForOperator: true, suggestions: phase.suggestions };
  },
};
