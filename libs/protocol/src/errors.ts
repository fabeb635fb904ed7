/**
 * Base of every typed error a lib throws on purpose. `code` is stable and machine-readable; the
 * transports map it: HTTP by suffix (see httpStatusForCode in the gateway), socket as `error {code}`.
 * Code suffixes: `_not_found` 404, `_invalid` 400, `_conflict` 409, `_unauthorized` 401,
 * `_forbidden` 403, `_too_large` 413, `_unavailable` 503, `_timeout` 504; anything else 500.
 */
export class ZhibingError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ZhibingError';
  }
}

/** Input failed validation; `issues` lists each bad field with its path. */
export class ValidationError extends ZhibingError {
  constructor(
    readonly issues: { path: string; message: string }[],
    code = 'validation_invalid',
  ) {
    super(code, `Invalid input: ${issues.map((i) => `${i.path || '(root)'} ${i.message}`).join('; ')}`, { issues });
    this.name = 'ValidationError';
  }
}
