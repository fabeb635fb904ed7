import { ZhibingError } from '@zhibing/protocol';

/**
 * The front desk's error codes, each with its HTTP status (the gateway maps by suffix: `_invalid` 400).
 * A closed union so callers can switch on it.
 */
export const FRONT_DESK_ERROR_STATUS = {
  /** A form submitted from the widget has a value that does not validate, or misses a required one. */
  form_invalid: 400,
  /** A slot's `pattern` is not a valid regular expression. */
  slot_pattern_invalid: 400,
  /** The opening hours name a time zone the runtime does not know. */
  hours_timezone_invalid: 400,
} as const;
export type FrontDeskErrorCode = keyof typeof FRONT_DESK_ERROR_STATUS;

export class FrontDeskError extends ZhibingError {
  constructor(
    override readonly code: FrontDeskErrorCode,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, message, details);
    this.name = 'FrontDeskError';
  }
}
