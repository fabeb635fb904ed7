import type { DataSource } from 'typeorm';
import { dot } from '../embedding/embedder.port';
import type { VectorIndex, VectorPoint } from './vector-index.port';

/**
 * The default vector index: the knowledge_embeddings table. With pgvector (always on embedded
 * PGlite) the database ranks by cosine distance; on a server without it, vectors are real[] and
 * ranked by an exact scan here — correct, and fast enough for knowledge bases of this size.
 */
export class PostgresVectorAdapter implements VectorIndex {
  readonly name = 'postgres';
  private column?: Promise<'vector' | 'real[]'>;

  constructor(private readonly db: DataSource) {}

  private kind(): Promise<'vector' | 'real[]'> {
    this.column ??= this.db
      .query(
        `SELECT udt_name FROM information_schema.columns WHERE table_name = 'knowledge_embeddings' AND column_name = 'embedding'`,
      )
      .then((rows: { udt_name: string }[]) => (rows[0]?.udt_name === 'vector' ? 'vector' : 'real[]'));
    return this.column;
  }

  async upsert(knowledgeBaseId: string, embedder: string, points: VectorPoint[]): Promise<void> {
    const kind = await this.kind();
    for (const point of points) {
      await this.db.query(
        `INSERT INTO knowledge_embeddings (item_id, embedder, knowledge_base_id, embedding) VALUES ($1, $2, $3, $4::${kind === 'vector' ? 'vector' : 'real[]'})
         ON CONFLICT (item_id, embedder) DO UPDATE SET embedding = EXCLUDED.embedding`,
        [
          point.id,
          embedder,
          knowledgeBaseId,
          kind === 'vector' ? `[${Array.from(point.vector).join(',')}]` : Array.from(point.vector),
        ],
      );
    }
  }

  async search(
    knowledgeBaseId: string,
    embedder: string,
    vector: Float32Array,
    limit: number,
  ): Promise<{ id: string; score: number }[]> {
    if ((await this.kind()) === 'vector') {
      const rows: { id: string; score: number }[] = await this.db.query(
        `SELECT item_id AS id, 1 - (embedding <=> $3::vector) AS score FROM knowledge_embeddings
         WHERE knowledge_base_id = $1 AND embedder = $2 ORDER BY embedding <=> $3::vector LIMIT $4`,
        [knowledgeBaseId, embedder, `[${Array.from(vector).join(',')}]`, limit],
      );
      return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
    }
    const rows: { id: string; embedding: number[] }[] = await this.db.query(
      `SELECT item_id AS id, embedding FROM knowledge_embeddings WHERE knowledge_base_id = $1 AND embedder = $2`,
      [knowledgeBaseId, embedder],
    );
    const norm = Math.sqrt(dot(vector, vector)) || 1;
    return rows
      .map((r) => {
        const v = Float32Array.from(r.embedding);
        return { id: r.id, score: dot(v, vector) / ((Math.sqrt(dot(v, v)) || 1) * norm) };
      })
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
  }

  async delete(knowledgeBaseId: string, ids: string[]): Promise<void> {
    await this.db.query(`DELETE FROM knowledge_embeddings WHERE knowledge_base_id = $1 AND item_id = ANY($2::uuid[])`, [
      knowledgeBaseId,
      ids,
    ]);
  }
}
