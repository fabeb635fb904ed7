import { ZhibingError } from '@zhibing/protocol';

/**
 * Every way an embedder fails, with the HTTP status the gateway answers for it (it maps codes by
 * suffix, httpStatusForCode; a 5xx other than 503 hides the message from the client).
 */
export const EMBEDDER_ERROR_STATUS = {
  /** The model folder or settings cannot be used: raised at start-up, never reaches a client. */
  embedder_invalid: 400,
  /** The embedding server cannot be reached, is overloaded or failed (5xx, 429). */
  embedder_unavailable: 503,
  /** The embedding server did not answer in time. */
  embedder_timeout: 504,
  /** The server refused the request (4xx: bad key, unknown model…): retrying will not help. */
  embedder_rejected: 500,
  /** The server answered, but not with one finite vector of the expected width per text. */
  embedder_invalid_response: 500,
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
