import type { DataSource, EntityManager } from 'typeorm';
import type { KnowledgeItem } from '../knowledge.types';
import { insertBatches } from './sql-batches';

type Queryable = Pick<EntityManager, 'query'>;

/**
 * A pgvector value arrives as text '[1,2,…]' (JSON: the native parser is 5x faster than splitting
 * on commas), a real[] as numbers already.
 */
function toVector(value: unknown): Float32Array {
  return new Float32Array(Array.isArray(value) ? (value as number[]) : (JSON.parse(String(value)) as number[]));
}

/**
 * Item vectors in Postgres (knowledge_embeddings), one row per item and embedder id: a base can
 * hold vectors of several embedders, and selection only reads those of the configured one.
 */
export class KnowledgeEmbeddingRepository {
  private column?: Promise<'vector' | 'real[]'>;

  constructor(private readonly db: DataSource) {}

  /** Whether embeddings are pgvector vectors or plain real[] (servers without pgvector). */
  vectorColumn(): Promise<'vector' | 'real[]'> {
    this.column ??= this.db
      .query(
        `SELECT udt_name FROM information_schema.columns WHERE table_name = 'knowledge_embeddings' AND column_name = 'embedding'`,
      )
      .then((rows: { udt_name: string }[]) => (rows[0]?.udt_name === 'vector' ? 'vector' : 'real[]'));
    return this.column;
  }

  /** The base's stored vectors of one embedder, by item id. */
  async load(knowledgeBaseId: string, embedderId: string): Promise<Map<string, Float32Array>> {
    const rows: { item_id: string; embedding: unknown }[] = await this.db.query(
      `SELECT item_id, embedding FROM knowledge_embeddings WHERE knowledge_base_id = $1 AND embedder = $2`,
      [knowledgeBaseId, embedderId],
    );
    return new Map(rows.map((r) => [r.item_id, toVector(r.embedding)]));
  }

  /** Stored vectors of one embedder for some items, by item id. */
  async loadFor(knowledgeBaseId: string, embedderId: string, ids: string[]): Promise<Map<string, Float32Array>> {
    const rows: { item_id: string; embedding: unknown }[] = await this.db.query(
      `SELECT item_id, embedding FROM knowledge_embeddings WHERE knowledge_base_id = $1 AND embedder = $2 AND item_id = ANY($3::uuid[])`,
      [knowledgeBaseId, embedderId, ids],
    );
    return new Map(rows.map((r) => [r.item_id, toVector(r.embedding)]));
  }

  /** Up to `limit` items of the base with no vector of this embedder yet, oldest first. */
  async missing(knowledgeBaseId: string, embedderId: string, limit: number): Promise<KnowledgeItem[]> {
    const rows: Record<string, string | null>[] = await this.db.query(
      `SELECT i.id, i.kind, i.head, i.relation, i.tail, i.question, i.answer, i.text FROM knowledge_items i
       WHERE i.knowledge_base_id = $1
         AND NOT EXISTS (SELECT 1 FROM knowledge_embeddings e WHERE e.item_id = i.id AND e.embedder = $2)
       ORDER BY i.created_at, i.id LIMIT $3`,
      [knowledgeBaseId, embedderId, limit],
    );
    return rows.map((r) => {
      const item: KnowledgeItem = { id: String(r.id), kind: r.kind as KnowledgeItem['kind'] };
      for (const key of ['head', 'relation', 'tail', 'question', 'answer', 'text'] as const)
        if (r[key] !== null) item[key] = String(r[key]);
      return item;
    });
  }

  /** How many items the base has, and how many of them have a vector of this embedder. */
  async coverage(knowledgeBaseId: string, embedderId: string): Promise<{ items: number; embedded: number }> {
    const [row] = await this.db.query(
      `SELECT (SELECT count(*)::int FROM knowledge_items WHERE knowledge_base_id = $1) AS items,
              (SELECT count(*)::int FROM knowledge_embeddings WHERE knowledge_base_id = $1 AND embedder = $2) AS embedded`,
      [knowledgeBaseId, embedderId],
    );
    return { items: Number(row.items), embedded: Number(row.embedded) };
  }

  /** Stores vectors (replacing this embedder's earlier ones for the same items). */
  async save(
    knowledgeBaseId: string,
    embedderId: string,
    points: { id: string; vector: Float32Array }[],
    manager: Queryable = this.db,
  ): Promise<void> {
    const column = await this.vectorColumn();
    await insertBatches(
      manager,
      points.map((p) => [
        p.id,
        embedderId,
        knowledgeBaseId,
        column === 'vector' ? `[${Array.from(p.vector).join(',')}]` : Array.from(p.vector),
      ]),
      (values) => `INSERT INTO knowledge_embeddings (item_id, embedder, knowledge_base_id, embedding) VALUES ${values}
        ON CONFLICT (item_id, embedder) DO UPDATE SET embedding = EXCLUDED.embedding`,
      { batch: 200, casts: ['', '', '', column === 'vector' ? '::vector' : '::real[]'] },
    );
  }
}
