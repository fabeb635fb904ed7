import { isRetryable } from './retryable';

describe('isRetryable', () => {
  it.each([
    ['reply_failed', true],
    ['database_unavailable', true],
    ['gateway_unavailable', true],
    ['message_rate_limited', true],
    ['request_timeout', true],
    ['connection_failed', true],
    ['internal_error', true],
    ['message_too_large', false],
    ['message_invalid', false],
    ['message_conflict', false],
    ['persona_forbidden', false],
    ['auth_unauthorized', false],
  ])('%s → %s', (code, expected) => {
    expect(isRetryable(code)).toBe(expected);
  });
});
