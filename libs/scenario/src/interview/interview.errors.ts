import { ZhibingError } from '@zhibing/protocol';

/**
 * The interview's error codes, each with its HTTP status (the gateway maps by suffix). A closed
 * union so callers can switch on it.
 */
export const INTERVIEW_ERROR_STATUS = {
  /** No stored question bank for this role in the workspace. */
  question_bank_not_found: 404,
  /** A bank that does not match questionBankSchema (issues in `details`), or a role that differs from the URL's. */
  question_bank_invalid: 400,
  /** The conversation has no interview (its persona's flow has no questions phase, or it never started). */
  interview_not_found: 404,
} as const;
export type InterviewErrorCode = keyof typeof INTERVIEW_ERROR_STATUS;

export class InterviewError extends ZhibingError {
  constructor(
    override readonly code: InterviewErrorCode,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, message, details);
    this.name = 'InterviewError';
  }
}
