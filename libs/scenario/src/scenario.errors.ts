import { ZhibingError } from '@zhibing/protocol';

/**
 * The scenario lib's error codes, each with its HTTP status (the gateway maps by suffix). A closed
 * union so callers can switch on it.
 */
export const SCENARIO_ERROR_STATUS = {
  /** The flow has a phase whose kind no registered handler runs (a deployment without that scenario). */
  scenario_unsupported: 500,
  /** An action on a conversation whose persona has no scenario. */
  scenario_not_found: 404,
  /** An action after the scenario ended, or a form for a phase that is not the current one. */
  scenario_phase_conflict: 409,
  /** A form sent to a phase that takes no form. */
  scenario_form_invalid: 400,
  /** The stored state changed under this step too many times in a row (heavy contention). */
  scenario_state_conflict: 409,
} as const;
export type ScenarioErrorCode = keyof typeof SCENARIO_ERROR_STATUS;

export class ScenarioError extends ZhibingError {
  constructor(
    override readonly code: ScenarioErrorCode,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, message, details);
    this.name = 'ScenarioError';
  }
}
