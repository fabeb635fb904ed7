import type { DataSource } from 'typeorm';

/** A document imported into a knowledge base, as its passages (items) record it. */
export interface DocumentSummary {
  name: string;
  type: string;
  passages: number;
  importedAt: string;
}

/**
 * Documents are not a table of their own: each passage item carries `metadata.document` (and its
 * type, section path and index), so deleting a document is deleting those items, and the list is
 * a GROUP BY. Nothing can drift between a documents table and its passages.
 */
export class DocumentRepository {
  constructor(private readonly db: DataSource) {}

  async list(knowledgeBaseId: string): Promise<DocumentSummary[]> {
    const rows: { name: string; type: string | null; passages: number; imported_at: string }[] = await this.db.query(
      `SELECT metadata->>'document' AS name, min(metadata->>'type') AS type, count(*)::int AS passages,
              min(created_at) AS imported_at
       FROM knowledge_items WHERE knowledge_base_id = $1 AND metadata->>'document' IS NOT NULL
       GROUP BY 1 ORDER BY 1`,
      [knowledgeBaseId],
    );
    return rows.map((r) => ({
      name: r.name,
      type: r.type ?? 'text',
      passages: Number(r.passages),
      importedAt: new Date(r.imported_at).toISOString(),
    }));
  }

  async passageIds(knowledgeBaseId: string, document: string): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM knowledge_items WHERE knowledge_base_id = $1 AND metadata->>'document' = $2`,
      [knowledgeBaseId, document],
    );
    return rows.map((r) => r.id);
  }
}
