export type { Directive, PhaseData, PhaseHandler, PhaseResult, ScenarioContext, ScenarioState } from './contract';
export * from './interview';
export { greetingOf, ScenarioMachine } from './scenario-machine';
export type { ScenarioInput, StepOutcome, TransitionCause } from './scenario-machine';
export { defaultPhaseHandlers } from './handlers';
export type { PhaseHandlers } from './handlers';
export { matchIntents, normalizeForIntent } from './intents';
export { ScenarioError, SCENARIO_ERROR_STATUS } from './scenario.errors';
export type { ScenarioErrorCode } from './scenario.errors';
