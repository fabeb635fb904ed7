/** Maps a stable error code to its HTTP status by the suffix convention of ZhibingError. */
export function httpStatusForCode(code: string): number {
  const suffixes: [string, number][] = [
    ['_not_found', 404],
    ['_invalid', 400],
    ['_conflict', 409],
    ['_unauthorized', 401],
    ['_forbidden', 403],
    ['_too_large', 413],
    ['_unavailable', 503],
    ['_not_configured', 503],
    ['_timeout', 504],
    ['_rate_limited', 429],
  ];
  for (const [suffix, status] of suffixes) if (code.endsWith(suffix)) return status;
  return 500;
}

/** A code for an HTTP status raised by the framework itself (unknown route, bad JSON …). */
export function codeForHttpStatus(status: number): string {
  switch (status) {
    case 400:
      return 'request_invalid';
    case 401:
      return 'auth_unauthorized';
    case 403:
      return 'auth_forbidden';
    case 404:
      return 'route_not_found';
    case 405:
      return 'method_not_allowed';
    case 409:
      return 'request_conflict';
    case 413:
      return 'body_too_large';
    case 415:
      return 'media_type_unsupported';
    case 429:
      return 'request_rate_limited';
    case 503:
      return 'service_unavailable';
    default:
      return status >= 500 ? 'internal_error' : 'request_failed';
  }
}
