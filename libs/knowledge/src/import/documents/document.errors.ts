import { ZhibingError } from '@zhibing/protocol';

/** Why a document was refused; each code's HTTP status follows its suffix (400, 413, 404, 409). */
export type DocumentErrorCode =
  | 'document_type_invalid'
  | 'document_unreadable_invalid'
  | 'document_empty_invalid'
  | 'document_too_large'
  | 'document_not_found'
  | 'document_conflict';

/** A refused document upload or a missing document; nothing was written. */
export class DocumentError extends ZhibingError {
  constructor(
    override readonly code: DocumentErrorCode,
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(code, message, details);
    this.name = 'DocumentError';
  }
}
