import type { PhaseSpec } from '@zhibing/protocol';
import type { PhaseHandler } from '../contract';
import { formPhase } from '../front-desk/form-phase';
import { handoffPhase } from '../front-desk/handoff-phase';
import { questionsPhase } from '../interview/questions-phase';
import { chatPhase } from './chat-phase';
import { promptPhase } from './prompt-phase';

/** Phase handlers by kind; a flow using a kind missing here is refused at start (scenario_unsupported). */
export type PhaseHandlers = ReadonlyMap<PhaseSpec['kind'], PhaseHandler>;

/** Every built-in phase handler. Scenario folders add theirs here, one line each. */
export function defaultPhaseHandlers(): PhaseHandlers {
  return new Map<PhaseSpec['kind'], PhaseHandler>(
    [promptPhase, chatPhase, questionsPhase, formPhase, handoffPhase].map((h) => [h.kind, h]),
  );
}
