import type { PhaseHandler } from '../contract';

/**
 * `prompt`: says its `say` on entering; the next message completes it, unanswered — the next
 * phase's entering line is what the persona says to it ("请先做个自我介绍" → the answer → the next step).
 */
export const promptPhase: PhaseHandler = {
  kind: 'prompt',
  async enter(phase) {
    return { data: {}, directive: { answer: false, say: phase.say ? [phase.say] : [] } };
  },
  async message(_phase, data, text) {
    return { data: { ...data, reply: text }, directive: { answer: false, say: [] }, done: true };
  },
};
