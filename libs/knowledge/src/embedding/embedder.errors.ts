import { ZhibingError } from '@zhibing/protocol';

/**
 * Every way an embedder fails, with the HTTP status a transport answers (the gateway maps codes by
 * suffix; the table says what each suffix means here).
 */
export const EMBEDDER_ERROR_STATUS = {
  /** The model folder or settings cannot be used (startup). */
  embedder_invalid: 500,
  /** The embedding server cannot be reached, is overloaded or failed (5xx, 429). */
  embedder_unavailable: 503,
  /** The embedding server did not answer in time. */
  embedder_timeout: 504,
  /** The server refused the request (4xx: bad key, unknown model…): retrying will not help. */
  embedder_rejected: 502,
  /** The server answered, but not with one finite vector of the expected width per text. */
  embedder_invalid_response: 502,
  /** The embedder cannot embed synchronously; only the built-in hashing embedder can. */
  embedder_not_synchronous: 500,
} as const;

export type EmbedderErrorCode = keyof typeof EMBEDDER_ERROR_STATUS;

export class EmbedderError extends ZhibingError {
  constructor(
    override readonly code: EmbedderErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, undefined, options);
    this.name = 'EmbedderError';
  }
}
