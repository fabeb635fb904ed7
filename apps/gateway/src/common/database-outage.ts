/**
 * Whether an error means the database cannot be reached (connection refused or terminated,
 * server shutting down, database gone) rather than a bug: such errors are reported to clients
 * as `database_unavailable`, retryable, with nothing accepted.
 */
export function isDatabaseOutage(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (
    let e: unknown = error;
    e && !seen.has(e);
    e = (e as { driverError?: unknown; cause?: unknown }).driverError ?? (e as { cause?: unknown }).cause
  ) {
    seen.add(e);
    const code = String((e as { code?: unknown }).code ?? '');
    const message = String((e as { message?: unknown }).message ?? '');
    if (
      ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '3D000'].includes(code) ||
      code.startsWith('57P') ||
      code.startsWith('08')
    )
      return true;
    if (/Connection terminated|connection is closed|does not exist.*database|database .* does not exist/i.test(message))
      return true;
  }
  return false;
}
