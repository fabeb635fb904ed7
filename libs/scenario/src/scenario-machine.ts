import type { Flow, PhaseSpec, ScenarioView } from '@zhibing/protocol';
import type { Directive, PhaseHandler, PhaseResult, ScenarioContext, ScenarioState } from './contract';
import type { PhaseHandlers } from './handlers';
import { matchIntents } from './intents';
import { ScenarioError } from './scenario.errors';

/** What moves the scenario: a user message, the phase's timer, the end button, a form, an operator handing back. */
export type ScenarioInput =
  | { type: 'message'; text: string }
  | { type: 'timer' }
  | { type: 'action'; action: 'end' }
  | { type: 'form'; phase: string; values: Record<string, string> }
  | { type: 'handback' };

/** Why the scenario entered a phase (as the state's path records it). */
export type TransitionCause = ScenarioState['path'][number]['by'];

/** What one step did: the new state, what the persona does now, what the widget shows, what to store. */
export interface StepOutcome {
  state: ScenarioState;
  directive: Directive;
  view: ScenarioView;
  records: { kind: string; data: Record<string, string> }[];
  handoff?: { reason: string };
  /** Set when the step left its phase (the reply's trace records it). */
  transition?: { from: string; to: string; by: TransitionCause };
  /** Whether the step changed the state (false: nothing to store). */
  changed: boolean;
}

/** Phases entered in one step at most: a loop of phases that finish on entering is a flow bug, not a hang. */
const MAX_ENTERED = 10;

/**
 * The scenario state machine, pure given its handlers and the context (clock included): the
 * runtime stores what it returns. A phase runs its handler; intents (keywords of `flow.intents`),
 * the end button, the phase's timer and its handler's `done` move to other phases; entering a
 * phase with `end: true` ends the scenario, after which messages get the normal answer.
 */
export class ScenarioMachine {
  constructor(private readonly handlers: PhaseHandlers) {}

  /** Refuses a flow with a phase kind no handler runs (typed, before anything is stored). */
  assertSupported(flow: Flow): void {
    const missing = flow.phases.filter((p) => !this.handlers.has(p.kind));
    if (missing.length)
      throw new ScenarioError(
        'scenario_unsupported',
        `No handler for phase kind ${[...new Set(missing.map((p) => p.kind))].join(', ')} (phases ${missing
          .map((p) => p.id)
          .join(', ')})`,
        { phases: missing.map((p) => p.id) },
      );
  }

  /** A new conversation's scenario: its start phase entered. */
  async start(flow: Flow, context: ScenarioContext, kind: ScenarioView['kind'] = 'chat'): Promise<StepOutcome> {
    this.assertSupported(flow);
    const first = flow.start ? phaseOf(flow, flow.start) : flow.phases[0];
    const empty: ScenarioState = {
      kind,
      phase: first.id,
      enteredAt: context.now.toISOString(),
      phases: {},
      path: [],
      ended: false,
      version: 0,
    };
    const outcome = await this.enter(empty, first, 'start', context, { answer: false, say: [] });
    return { ...outcome, changed: true };
  }

  /** One input applied to the state. An ended scenario only answers messages normally. */
  async step(state: ScenarioState, input: ScenarioInput, context: ScenarioContext): Promise<StepOutcome> {
    const flow = context.flow;
    this.assertSupported(flow);
    const unchanged = (directive: Directive): StepOutcome => ({
      state,
      directive,
      view: this.view(state, flow),
      records: [],
      changed: false,
    });
    if (state.ended && (input.type === 'action' || input.type === 'form'))
      throw new ScenarioError('scenario_phase_conflict', 'The scenario has ended', { phase: state.phase });
    if (state.ended) return unchanged({ answer: input.type === 'message', say: [] });
    const phase = phaseOf(flow, state.phase);
    const handler = this.handlerOf(phase);
    const data = state.phases[phase.id] ?? {};
    // A message that comes after the phase's time ran out (its timer not fired yet): time is up first.
    if (input.type === 'message' && phase.timer && this.isDue(state, context))
      return this.move(state, phase, phase.timer.then, 'timer', context, { answer: false, say: [] });
    switch (input.type) {
      case 'message': {
        const target = this.intentTarget(flow, phase, input.text);
        if (target) return this.move(state, phase, target, 'intent', context, { answer: false, say: [] });
        return this.finish(state, phase, await handler.message(phase, data, input.text, context), context);
      }
      case 'timer': {
        // A stale or early timer (another gateway fired it, the phase moved on) changes nothing.
        if (!phase.timer || !this.isDue(state, context)) return unchanged({ answer: false, say: [] });
        return this.move(state, phase, phase.timer.then, 'timer', context, { answer: false, say: [] });
      }
      case 'action':
        return this.move(state, phase, this.endTarget(flow, phase), 'action', context, { answer: false, say: [] });
      case 'form': {
        if (input.phase !== phase.id)
          throw new ScenarioError('scenario_phase_conflict', `The form of phase ${input.phase} is no longer shown`, {
            phase: phase.id,
          });
        if (!handler.form) throw new ScenarioError('scenario_form_invalid', `Phase ${phase.id} takes no form`);
        return this.finish(state, phase, await handler.form(phase, data, input.values, context), context);
      }
      case 'handback': {
        if (handler.handback) return this.finish(state, phase, await handler.handback(phase, data, context), context);
        if (phase.kind !== 'handoff') return unchanged({ answer: false, say: [] });
        return this.finish(state, phase, { data, directive: { answer: false, say: [] }, done: true }, context);
      }
    }
  }

  /** What the widget shows of the state. */
  view(state: ScenarioState, flow: Flow): ScenarioView {
    const phase = phaseOf(flow, state.phase);
    const own = this.handlers.get(phase.kind)?.view?.(phase, state.phases[phase.id] ?? {}) ?? {};
    return {
      kind: state.kind,
      phase: phase.id,
      ...(phase.title ? { title: phase.title } : {}),
      ...(state.dueAt && !state.ended ? { endsAt: state.dueAt } : {}),
      suggestions: state.ended ? [] : (own.suggestions ?? phase.suggestions),
      ...(phase.endButton && !state.ended ? { endButton: phase.endButton } : {}),
      ...(own.form && !state.ended ? { form: own.form } : {}),
      ...(own.waitingForOperator && !state.ended ? { waitingForOperator: true } : {}),
      ended: state.ended,
    };
  }

  private isDue(state: ScenarioState, context: ScenarioContext): boolean {
    return state.dueAt !== undefined && Date.parse(state.dueAt) <= context.now.getTime();
  }

  /** The phase an intent in `text` leads to: the phase's own `on` first, then the flow's, then `end`'s default. */
  private intentTarget(flow: Flow, phase: PhaseSpec, text: string): string | undefined {
    for (const intent of matchIntents(flow, text)) {
      const target =
        phase.on[intent] ?? flow.on[intent] ?? (intent === 'end' ? this.endTarget(flow, phase) : undefined);
      if (target && target !== phase.id) return target;
    }
    return undefined;
  }

  /** Where `end` goes: the phase's or the flow's `on.end`, else the first phase with `end: true`. */
  private endTarget(flow: Flow, phase: PhaseSpec): string {
    const target = phase.on.end ?? flow.on.end ?? flow.phases.find((p) => p.end)?.id;
    if (!target) throw new ScenarioError('scenario_phase_conflict', 'This scenario has no end phase to go to');
    return target;
  }

  /** A handler's result applied to the current phase: its data kept, and the move when it is done. */
  private async finish(
    state: ScenarioState,
    phase: PhaseSpec,
    result: PhaseResult,
    context: ScenarioContext,
  ): Promise<StepOutcome> {
    const kept: ScenarioState = { ...state, phases: { ...state.phases, [phase.id]: result.data } };
    const extras = { records: result.records ?? [], handoff: result.handoff };
    if (!result.done) {
      // Records and a hand-off request are stored with the state: a step that makes them is a change.
      const changed =
        JSON.stringify(state.phases[phase.id] ?? {}) !== JSON.stringify(result.data) ||
        extras.records.length > 0 ||
        extras.handoff !== undefined;
      const next = changed ? { ...kept, version: state.version + 1 } : state;
      return { state: next, directive: result.directive, view: this.view(next, context.flow), ...extras, changed };
    }
    const target = typeof result.done === 'string' ? result.done : this.nextOf(context.flow, phase);
    const moved = await this.move(kept, phase, target, 'done', context, result.directive);
    return {
      ...moved,
      records: [...extras.records, ...moved.records],
      handoff: moved.handoff ?? extras.handoff,
    };
  }

  /** Leaves `phase` for `target` (undefined: the flow ran out of phases, the scenario ends). */
  private async move(
    state: ScenarioState,
    phase: PhaseSpec,
    target: string | undefined,
    by: TransitionCause,
    context: ScenarioContext,
    leaving: Directive,
  ): Promise<StepOutcome> {
    if (target === undefined) {
      const ended: ScenarioState = { ...state, ended: true, dueAt: undefined, version: state.version + 1 };
      return { state: ended, directive: leaving, view: this.view(ended, context.flow), records: [], changed: true };
    }
    const outcome = await this.enter(state, phaseOf(context.flow, target), by, context, leaving);
    return { ...outcome, transition: { from: phase.id, to: outcome.state.phase, by } };
  }

  /** Enters `phase` (and the phases after it while entering finishes them), saying their lines after `leaving`'s. */
  private async enter(
    state: ScenarioState,
    phase: PhaseSpec,
    by: TransitionCause,
    context: ScenarioContext,
    leaving: Directive,
  ): Promise<StepOutcome> {
    const now = context.now;
    const say = [...leaving.say];
    const records: StepOutcome['records'] = [];
    let handoff: StepOutcome['handoff'];
    let current = phase;
    let cause = by;
    let next: ScenarioState = state;
    for (let entered = 0; ; entered++) {
      if (entered >= MAX_ENTERED)
        throw new ScenarioError('scenario_unsupported', `Phases finish on entering in a loop (at ${current.id})`);
      const result = await this.handlerOf(current).enter(current, context);
      const dueAt = current.timer && !current.end ? new Date(now.getTime() + current.timer.seconds * 1000) : undefined;
      say.push(...result.directive.say.map((line) => withRemaining(line, current)));
      records.push(...(result.records ?? []));
      handoff = result.handoff ?? handoff;
      next = {
        ...next,
        phase: current.id,
        enteredAt: now.toISOString(),
        dueAt: dueAt?.toISOString(),
        phases: { ...next.phases, [current.id]: result.data },
        path: [...next.path, { phase: current.id, at: now.toISOString(), by: cause }],
        ended: current.end,
        version: next.version + 1,
      };
      if (current.end || !result.done) break;
      const target = typeof result.done === 'string' ? result.done : this.nextOf(context.flow, current);
      if (target === undefined) {
        next = { ...next, ended: true, dueAt: undefined };
        break;
      }
      current = phaseOf(context.flow, target);
      cause = 'done';
    }
    if (next.dueAt === undefined) delete next.dueAt;
    return {
      state: next,
      directive: { answer: leaving.answer, say: say.filter((line) => line.length > 0) },
      view: this.view(next, context.flow),
      records,
      handoff,
      changed: true,
    };
  }

  /** A done phase's successor: its `next`, else the phase after it in the list (none after the last). */
  private nextOf(flow: Flow, phase: PhaseSpec): string | undefined {
    if (phase.next) return phase.next;
    return flow.phases[flow.phases.findIndex((p) => p.id === phase.id) + 1]?.id;
  }

  private handlerOf(phase: PhaseSpec): PhaseHandler {
    const handler = this.handlers.get(phase.kind);
    if (!handler) throw new ScenarioError('scenario_unsupported', `No handler for phase kind ${phase.kind}`);
    return handler;
  }
}

/** What the persona greets with in a scenario: its start phase's `say` (with `{{remaining}}`), if it has one. */
export function greetingOf(flow: Flow): string | undefined {
  const first = flow.start ? phaseOf(flow, flow.start) : flow.phases[0];
  return first.say ? withRemaining(first.say, first) : undefined;
}

function phaseOf(flow: Flow, id: string): PhaseSpec {
  const phase = flow.phases.find((p) => p.id === id);
  // The flow schema checks every target names a phase; a stored state of an older flow may not.
  if (!phase) throw new ScenarioError('scenario_phase_conflict', `The scenario has no phase "${id}"`, { phase: id });
  return phase;
}

/** `{{remaining}}` as the phase's timer, mm:ss. */
function withRemaining(line: string, phase: PhaseSpec): string {
  if (!line.includes('{{remaining}}')) return line;
  const seconds = phase.timer?.seconds ?? 0;
  const mmss = `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
  return line.replaceAll('{{remaining}}', mmss);
}
