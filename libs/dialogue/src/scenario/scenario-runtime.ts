import type { Flow, Persona, QuestionBank, ScenarioView } from '@zhibing/protocol';
import {
  ScenarioError,
  type ScenarioContext,
  type ScenarioInput,
  type ScenarioMachine,
  type StepOutcome,
} from '@zhibing/scenario';
import type { ConversationRecord } from '../conversation.repository';
import type { ScenarioStateRepository } from './scenario-state.repository';

/** A stored question bank of a workspace, by role (the interview's banks); none by default. */
export type QuestionBankLookup = (workspaceId: string, role: string) => Promise<QuestionBank | undefined>;

/** A step that was stored, with when the hand-off it asked for was recorded. */
export interface StoredStep extends StepOutcome {
  /** The hand-off request's time, when this step asked for a person. */
  handoffAt?: string;
  /** Whether the widget's view differs from before the step (scenario.state is sent then). */
  viewChanged: boolean;
}

/** Tries of a step whose state another writer changed first, before giving up (scenario_state_conflict). */
const STEP_TRIES = 5;

/**
 * Runs a conversation's scenario: the machine's steps over the state stored with the
 * conversation, each saved with an optimistic version check. A step that lost the race (another
 * gateway, a timer, a second message) is applied again to the state that won.
 *
 * The state is saved in its own statement right after the turn that caused it (with the step's
 * records and hand-off request), not in the turn's statement: a phase handler reads the stored
 * turn (its id goes into the phase's data and records) and may read question banks, and holding a
 * transaction open across that would block every other query on embedded PGlite. A crash
 * between the two leaves the message stored and unanswered, as a crash mid-reply does; the next
 * message steps from the stored state.
 */
export class ScenarioRuntime {
  /** Told of every stored timer (the gateway sets a local timeout for it). */
  private dueListener?: (dueAt: Date) => void;

  constructor(
    private readonly machine: ScenarioMachine,
    readonly repository: ScenarioStateRepository,
    private readonly reload: (workspaceId: string, conversationId: string) => Promise<ConversationRecord>,
    private readonly questionBanks: QuestionBankLookup = async () => undefined,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Calls `listener` with the due time of every timer a step of this process stores. */
  whenDue(listener: (dueAt: Date) => void): void {
    this.dueListener = listener;
  }

  /** The persona's scenario, or none (a plain chat persona). */
  flowOf(persona: Persona): Flow | undefined {
    return persona.flow;
  }

  /** Refuses, with a typed error, a persona whose flow this deployment cannot run. */
  assertRunnable(persona: Persona): void {
    const flow = this.flowOf(persona);
    if (flow) this.machine.assertSupported(flow);
  }

  /** What the widget shows of the conversation's scenario now. */
  view(conversation: ConversationRecord, persona: Persona): ScenarioView | undefined {
    const flow = this.flowOf(persona);
    if (!flow || !conversation.scenario) return undefined;
    return answered(this.machine.view(conversation.scenario, flow), conversation);
  }

  /** Starts the scenario of a new conversation (or of one whose start was never stored). */
  async start(conversation: ConversationRecord, persona: Persona): Promise<StoredStep | undefined> {
    const flow = this.flowOf(persona);
    if (!flow) return undefined;
    const outcome = await this.machine.start(flow, this.context(conversation, persona, flow), persona.scenario);
    const { saved, handoffAt } = await this.repository.save(conversation.id, null, outcome.state, outcome);
    // Another gateway started it first (a resume racing a resume): theirs is the conversation's.
    if (!saved) {
      const current = await this.reload(conversation.workspaceId, conversation.id);
      const view = this.view(current, persona)!;
      return { ...outcome, state: current.scenario!, view, records: [], changed: false, viewChanged: true };
    }
    this.stored(outcome);
    return { ...outcome, handoffAt, viewChanged: true };
  }

  /**
   * Applies `input` to the conversation's scenario and stores the result. Undefined for a
   * conversation without a scenario.
   */
  async step(
    conversation: ConversationRecord,
    persona: Persona,
    input: ScenarioInput,
    turnId?: string,
  ): Promise<StoredStep | undefined> {
    const flow = this.flowOf(persona);
    if (!flow) return undefined;
    let current = conversation;
    for (let attempt = 0; attempt < STEP_TRIES; attempt++) {
      if (!current.scenario) {
        await this.start(current, persona);
        current = await this.reload(current.workspaceId, current.id);
        continue;
      }
      const outcome = await this.machine.step(current.scenario, input, {
        ...this.context(current, persona, flow),
        turnId,
        ...(input.type === 'message' ? { text: input.text } : {}),
      });
      outcome.view = answered(outcome.view, current);
      const before = JSON.stringify(answered(this.machine.view(current.scenario, flow), current));
      const viewChanged = before !== JSON.stringify(outcome.view);
      if (!outcome.changed) return { ...outcome, viewChanged };
      const { saved, handoffAt } = await this.repository.save(current.id, current.scenario.version, outcome.state, {
        ...outcome,
        turnId,
      });
      if (saved) {
        this.stored(outcome);
        return { ...outcome, handoffAt, viewChanged };
      }
      current = await this.reload(current.workspaceId, current.id);
    }
    throw new ScenarioError('scenario_state_conflict', `The scenario of ${conversation.id} kept changing; try again`);
  }

  private stored({ state }: StepOutcome): void {
    if (state.dueAt && !state.ended) this.dueListener?.(new Date(state.dueAt));
  }

  private context(conversation: ConversationRecord, persona: Persona, flow: Flow): ScenarioContext {
    return {
      now: this.clock(),
      locale: persona.locale,
      flow,
      workspaceId: conversation.workspaceId,
      conversationId: conversation.id,
      questionBank: async (role) =>
        (await this.questionBanks(conversation.workspaceId, role)) ?? flow.questionBanks?.find((b) => b.role === role),
    };
  }
}

/** While an operator holds the conversation, nobody is waited for, whatever the phase's handler says. */
function answered(view: ScenarioView, conversation: ConversationRecord): ScenarioView {
  if (!conversation.takeover || !view.waitingForOperator) return view;
  const { waitingForOperator: _waiting, ...rest } = view;
  return rest;
}
