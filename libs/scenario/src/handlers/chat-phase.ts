import type { PhaseHandler } from '../contract';
import { deskReply } from '../front-desk/business-hours';

/** `chat`: every message is answered from the persona's knowledge, until an intent or the timer moves on. */
export const chatPhase: PhaseHandler = {
  kind: 'chat',
  async enter(phase) {
    return { data: {}, directive: { answer: false, say: phase.say ? [phase.say] : [] } };
  },
  async message(_phase, data, text, context) {
    // "现在开门吗？" / "地址在哪？" are answered from the flow's hours and location (live, not a stored answer).
    const desk = deskReply(text, data, context);
    if (desk) return { data: desk.data, directive: { answer: false, say: [desk.line] } };
    return { data, directive: { answer: true, say: [] } };
  },
};
