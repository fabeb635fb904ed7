import { z } from 'zod';

/** The largest document upload the gateway accepts, in bytes. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

/** The multipart body of a document upload (for the OpenAPI description; multer reads it). */
export const uploadDocumentSchema = z.object({
  file: z.string().describe('the document: .md, .txt, .html, .pdf or .docx (its name decides the parser)'),
});

export const documentSummarySchema = z.object({
  name: z.string(),
  type: z.enum(['markdown', 'text', 'html', 'pdf', 'docx']),
  passages: z.number().int(),
  importedAt: z.string(),
});
export type DocumentSummaryDto = z.infer<typeof documentSummarySchema>;
