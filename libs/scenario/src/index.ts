export type { Directive, PhaseData, PhaseHandler, PhaseResult, ScenarioContext, ScenarioState } from './contract';
