import type { PhaseHandler } from '../contract';

/** `chat`: every message is answered from the persona's knowledge, until an intent or the timer moves on. */
export const chatPhase: PhaseHandler = {
  kind: 'chat',
  async enter(phase) {
    return { data: {}, directive: { answer: false, say: phase.say ? [phase.say] : [] } };
  },
  async message(_phase, data) {
    return { data, directive: { answer: true, say: [] } };
  },
};
