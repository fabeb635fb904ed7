import { ZhibingError } from '@zhibing/protocol';

/**
 * The persona lib's error codes, each with its HTTP status (the gateway maps by suffix:
 * `_invalid` 400, `_not_found` 404, `_too_large` 413). A closed union so callers can switch on it.
 */
export const PERSONA_ERROR_STATUS = {
  /** The upload is neither a PNG nor JSON, or a PNG whose chunks are corrupt. */
  card_png_invalid: 400,
  /** A PNG without a `ccv3` or `chara` text chunk. */
  card_chunk_invalid: 400,
  /** The card (from JSON or a chunk's base64) is not valid JSON. */
  card_json_invalid: 400,
  /** `spec` is neither `chara_card_v2` nor `chara_card_v3`. */
  card_spec_invalid: 400,
  /** A known spec whose fields do not make a valid persona. */
  card_invalid: 400,
  card_too_large: 413,
  /** The avatar is not a PNG, JPEG or WebP image. */
  avatar_type_invalid: 400,
  avatar_too_large: 413,
  avatar_not_found: 404,
} as const;
export type PersonaErrorCode = keyof typeof PERSONA_ERROR_STATUS;

export class PersonaError extends ZhibingError {
  constructor(
    override readonly code: PersonaErrorCode,
    message: string,
  ) {
    super(code, message);
    this.name = 'PersonaError';
  }
}
