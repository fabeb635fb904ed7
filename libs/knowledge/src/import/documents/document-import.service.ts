import type { DataSource } from 'typeorm';
import type { KnowledgeRecord } from '../knowledge-records';
import type { KnowledgeService } from '../../knowledge.service';
import { DocumentError } from './document.errors';
import { DocumentRepository, type DocumentSummary } from './document.repository';
import { documentType } from './document-type';
import { extractSections } from './extract-sections';
import { splitPassages } from './split-passages';

export interface DocumentUpload {
  /** The file name as uploaded; its extension decides the parser. */
  name: string;
  mediaType?: string;
  bytes: Uint8Array;
}

export interface DocumentImportReport {
  knowledgeBase: { id: string; name: string };
  document: DocumentSummary;
  /** Passages cut from the document; `inserted` is fewer when some repeat (same heading and text). */
  passages: number;
  inserted: number;
  ms: number;
}

export interface DocumentImportOptions {
  /** Largest accepted file, in bytes (default 20 MiB). */
  maxBytes?: number;
  /** Longest passage, in characters (default 600). */
  maxPassageChars?: number;
}

/**
 * Documents (Markdown, text, HTML, PDF, DOCX) into a knowledge base: cut into passages by
 * heading and paragraph, each a `description` item whose head is its section (or the document's)
 * title, with the document name as `source` and the section path and passage index in metadata.
 * A refused document (type, unreadable, encrypted, empty, too large, name taken) writes nothing.
 */
export class DocumentImportService {
  readonly maxBytes: number;
  private readonly maxPassageChars: number;
  private readonly documents: DocumentRepository;

  constructor(
    db: DataSource,
    private readonly knowledge: KnowledgeService,
    options: DocumentImportOptions = {},
  ) {
    this.documents = new DocumentRepository(db);
    this.maxBytes = options.maxBytes ?? 20 * 1024 * 1024;
    this.maxPassageChars = options.maxPassageChars ?? 600;
  }

  async import(workspaceId: string, kb: string, upload: DocumentUpload): Promise<DocumentImportReport> {
    const started = performance.now();
    const base = await this.knowledge.requireKnowledgeBase(workspaceId, kb);
    const name = documentName(upload.name);
    if (upload.bytes.length > this.maxBytes)
      throw new DocumentError('document_too_large', `"${name}" is over the ${this.maxBytes}-byte limit`);
    if (upload.bytes.length === 0) throw new DocumentError('document_empty_invalid', `"${name}" is empty`);
    const type = documentType(name, upload.mediaType, upload.bytes);
    const passages = splitPassages(await extractSections(type, name, upload.bytes), this.maxPassageChars);
    if (passages.length === 0)
      throw new DocumentError('document_empty_invalid', `"${name}" holds no text (a scanned PDF needs OCR first)`);
    if ((await this.documents.passageIds(base.id, name)).length > 0) {
      throw new DocumentError(
        'document_conflict',
        `A document named "${name}" is already in this knowledge base; delete it first to replace it`,
      );
    }
    const title = name.replace(/\.[a-z0-9]+$/i, '');
    const records: KnowledgeRecord[] = passages.map((passage, index) => ({
      type: 'description',
      entity: (passage.path[passage.path.length - 1] ?? title).slice(0, 200),
      text: passage.text,
      source: name,
      metadata: { document: name, type, section: passage.path, passage: index },
    }));
    const written = await this.knowledge.importRecords(workspaceId, base.name, records);
    return {
      knowledgeBase: { id: base.id, name: base.name },
      document: (await this.documents.list(base.id)).find((d) => d.name === name)!,
      passages: passages.length,
      inserted: written.inserted,
      ms: Math.round(performance.now() - started),
    };
  }

  async list(workspaceId: string, kb: string): Promise<DocumentSummary[]> {
    const base = await this.knowledge.requireKnowledgeBase(workspaceId, kb);
    return this.documents.list(base.id);
  }

  /** Deletes the document's passages (one change for every index and projection). */
  async delete(workspaceId: string, kb: string, document: string): Promise<{ deleted: number }> {
    const base = await this.knowledge.requireKnowledgeBase(workspaceId, kb);
    const ids = await this.documents.passageIds(base.id, document);
    if (ids.length === 0)
      throw new DocumentError('document_not_found', `No document "${document}" in this knowledge base`);
    return { deleted: await this.knowledge.deleteItems(base.id, ids) };
  }
}

/** The file's base name (a browser may send a path), trimmed; a name is needed to list and delete it. */
function documentName(raw: string): string {
  const name = (raw.split(/[\\/]/).pop() ?? '').trim().slice(0, 200);
  if (!name) throw new DocumentError('document_type_invalid', 'The document needs a file name with its extension');
  return name;
}
