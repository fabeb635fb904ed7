import { DocumentError } from './document.errors';

export type DocumentType = 'markdown' | 'text' | 'html' | 'pdf' | 'docx';

const BY_EXTENSION: Record<string, DocumentType> = {
  md: 'markdown',
  markdown: 'markdown',
  txt: 'text',
  text: 'text',
  html: 'html',
  htm: 'html',
  pdf: 'pdf',
  docx: 'docx',
};

const BY_MEDIA_TYPE: Record<string, DocumentType> = {
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/plain': 'text',
  'text/html': 'html',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};

/**
 * The document's type from its file name's extension, else its media type. The bytes must agree
 * for the binary formats (a PDF starts with %PDF, a DOCX is a zip), so a renamed file is refused
 * with a clear error instead of a parser's stack trace.
 */
export function documentType(name: string, mediaType: string | undefined, bytes: Uint8Array): DocumentType {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  const type =
    (extension && BY_EXTENSION[extension]) || BY_MEDIA_TYPE[(mediaType ?? '').split(';')[0].trim().toLowerCase()];
  if (!type) {
    throw new DocumentError(
      'document_type_invalid',
      `Unsupported document type for "${name}": send Markdown (.md), plain text (.txt), HTML (.html), PDF or DOCX`,
    );
  }
  const starts = (magic: string) => Buffer.from(bytes.subarray(0, magic.length)).toString('latin1') === magic;
  if (type === 'pdf' && !starts('%PDF'))
    throw new DocumentError('document_unreadable_invalid', `"${name}" is not a PDF file (no %PDF header)`);
  if (type === 'docx' && !starts('PK'))
    throw new DocumentError('document_unreadable_invalid', `"${name}" is not a DOCX file (not a zip archive)`);
  return type;
}
