import type { DataSource } from 'typeorm';
import type { GraphFact, GraphIndex } from './vector-index.port';

/**
 * The default graph: entities and relations tables walked with a recursive CTE. Facts are
 * written by the knowledge writer, so `upsert` only has to check they are there.
 */
export class PostgresGraphAdapter implements GraphIndex {
  readonly name = 'postgres';

  constructor(private readonly db: DataSource) {}

  async upsert(): Promise<void> {
    // Postgres is the source of truth: facts already live in the relations table.
  }

  async neighbourhood(knowledgeBaseId: string, entity: string, depth: number): Promise<GraphFact[]> {
    const rows: GraphFact[] = await this.db.query(
      `WITH RECURSIVE reach(name, hop) AS (
         SELECT $2::text, 0
         UNION
         SELECT CASE WHEN h.name = reach.name THEN coalesce(t.name, r.tail_literal) ELSE h.name END, reach.hop + 1
         FROM reach
         JOIN entities h ON h.knowledge_base_id = $1
         JOIN relations r ON r.head_entity_id = h.id
         LEFT JOIN entities t ON t.id = r.tail_entity_id
         WHERE reach.hop < $3 - 1 AND (h.name = reach.name OR t.name = reach.name)
       )
       SELECT DISTINCT i.id::text AS id, i.head, i.relation, i.tail
       FROM reach
       JOIN knowledge_items i ON i.knowledge_base_id = $1 AND i.kind = 'fact' AND (i.head = reach.name OR i.tail = reach.name)
       ORDER BY i.head, i.relation, i.tail`,
      [knowledgeBaseId, entity, depth],
    );
    return rows;
  }

  async delete(): Promise<void> {
    // Deleting the item deletes its edge (see KnowledgeRepository.deleteItem).
  }
}
