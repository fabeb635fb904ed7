import type { PhaseHandler } from '../contract';
import { isCandidateQuestion } from '../interview/candidate-question';

/**
 * `prompt`: says its `say` on entering; the next message completes it, unanswered — the next
 * phase's entering line is what the persona says to it ("请先做个自我介绍" → the answer → the next step).
 * A question instead of the reply asked for ("面试流程是怎样的？") is answered from knowledge and
 * the prompt stays open: a candidate's first question is not their self-introduction.
 */
export const promptPhase: PhaseHandler = {
  kind: 'prompt',
  async enter(phase) {
    return { data: {}, directive: { answer: false, say: phase.say ? [phase.say] : [] } };
  },
  async message(_phase, data, text) {
    if (isCandidateQuestion(text)) return { data, directive: { answer: true, say: [] } };
    return { data: { ...data, reply: text }, directive: { answer: false, say: [] }, done: true };
  },
};
