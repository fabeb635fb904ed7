import type { Flow, PhaseSpec, QuestionBank, ScenarioForm, ScenarioView } from '@zhibing/protocol';

/** JSON a phase keeps between messages (stored with the conversation). */
export type PhaseData = Record<string, unknown>;

/**
 * A conversation's scenario state, stored with the conversation (`conversations.scenario_state`)
 * in the same transaction as the turn that changed it, so a reconnect or a restart resumes it exactly.
 */
export interface ScenarioState {
  kind: ScenarioView['kind'];
  /** The current phase's id. */
  phase: string;
  /** When the current phase was entered (ISO 8601). */
  enteredAt: string;
  /** When the current phase's timer fires (ISO 8601); the runtime schedules it. */
  dueAt?: string;
  /** Each phase's own data, by phase id (kept after the phase ends: the interview report reads it). */
  phases: Record<string, PhaseData>;
  /** Phases entered, in order, with when (timings in reports). */
  path: { phase: string; at: string; by: 'start' | 'done' | 'intent' | 'timer' | 'action' | 'handback' }[];
  ended: boolean;
  /** Bumped on every change: a write with a stale version is refused and retried. */
  version: number;
}

/**
 * What the persona does with one user message (or a timer, an action): answer it through the
 * knowledge pipeline (retrieval or engine) and/or say scripted lines. Lines follow the answer.
 */
export interface Directive {
  /** Answer the user's message from the persona's knowledge (the normal turn). */
  answer: boolean;
  /** Scripted lines, said in order after the answer (if any). */
  say: string[];
}

/** What a phase hands back after a message: its new data, what to say, whether it is done. */
export interface PhaseResult {
  data: PhaseData;
  directive: Directive;
  /** The phase is done: the scenario moves to this phase (true: the phase's `next`). */
  done?: boolean | string;
  /** Records to store with the turn (a confirmed registration). */
  records?: { kind: string; data: Record<string, string> }[];
  /** Ask for a person: operators hear `handoff.requested` (reason shown in the console). */
  handoff?: { reason: string };
}

/** What phases may read: the clock, the persona's locale and flow, stored banks. */
export interface ScenarioContext {
  now: Date;
  locale: string;
  flow: Flow;
  workspaceId: string;
  conversationId: string;
  /** The user turn being answered (absent for timers and actions). */
  turnId?: string;
  /**
   * The user's words being answered (absent for timers and actions): on `enter`, the message that
   * moved the scenario here (a hand-off's reason, values said with "我要登记").
   */
  text?: string;
  /** The workspace's question bank for a role (stored banks first, then the flow's own). */
  questionBank(role: string): Promise<QuestionBank | undefined>;
}

/**
 * One kind of phase (`prompt`, `chat`, `questions`, `form`, `handoff`). Handlers are pure given
 * the context: no I/O but what the context offers, so they are tested with a fixed clock.
 */
export interface PhaseHandler {
  readonly kind: PhaseSpec['kind'];
  /** Entering the phase: its first data and what the persona says (default: the phase's `say`). */
  enter(phase: PhaseSpec, context: ScenarioContext): Promise<PhaseResult>;
  /** A user message while the phase is current. */
  message(phase: PhaseSpec, data: PhaseData, text: string, context: ScenarioContext): Promise<PhaseResult>;
  /** A form submitted from the widget (form phases); invalid values throw a typed error. */
  form?(
    phase: PhaseSpec,
    data: PhaseData,
    values: Record<string, string>,
    context: ScenarioContext,
  ): Promise<PhaseResult>;
  /** An operator handed the conversation back (default: a `handoff` phase is done, others ignore it). */
  handback?(phase: PhaseSpec, data: PhaseData, context: ScenarioContext): Promise<PhaseResult>;
  /** The phase's part of the widget's view: suggestions, a form. */
  view?(
    phase: PhaseSpec,
    data: PhaseData,
  ): { suggestions?: string[]; form?: ScenarioForm; waitingForOperator?: boolean };
}
