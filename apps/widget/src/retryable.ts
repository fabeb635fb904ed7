/**
 * Whether sending the same message again can succeed: the service was down, busy or slow, or the
 * reply failed. A refused message (invalid, too large, forbidden, conflicting) fails again the same way.
 */
export function isRetryable(code: string): boolean {
  if (['connection_failed', 'internal_error', 'reply_failed', 'request_timeout'].includes(code)) return true;
  return ['_unavailable', '_rate_limited', '_timeout'].some((suffix) => code.endsWith(suffix));
}
