import neo4j, { type Driver } from 'neo4j-driver';
import type { GraphFact, GraphIndex } from './vector-index.port';

/**
 * Neo4j as the graph for scale: (:Entity {kb, name})-[:FACT {id, relation}]->(:Entity|:Value).
 * Literal tails become :Value nodes so every fact is an edge. Fed from the outbox.
 */
export class Neo4jGraphAdapter implements GraphIndex {
  readonly name = 'neo4j';
  private readonly driver: Driver;

  constructor(options: { url: string; user?: string; password?: string }) {
    this.driver = neo4j.driver(
      options.url,
      options.user ? neo4j.auth.basic(options.user, options.password ?? '') : undefined,
      { connectionTimeout: 5000 },
    );
  }

  async upsert(knowledgeBaseId: string, facts: GraphFact[]): Promise<void> {
    if (facts.length === 0) return;
    await this.driver.executeQuery(
      `UNWIND $facts AS f
       MERGE (h:Entity {kb: $kb, name: f.head})
       MERGE (t:Entity {kb: $kb, name: f.tail})
       MERGE (h)-[r:FACT {id: f.id}]->(t)
       SET r.relation = f.relation`,
      { kb: knowledgeBaseId, facts },
    );
  }

  async neighbourhood(knowledgeBaseId: string, entity: string, depth: number): Promise<GraphFact[]> {
    const { records } = await this.driver.executeQuery(
      `MATCH (start:Entity {kb: $kb, name: $entity})
       MATCH p = (start)-[*1..${Math.max(1, Math.min(depth, 4))}]-(:Entity)
       UNWIND relationships(p) AS r
       WITH DISTINCT r
       RETURN r.id AS id, startNode(r).name AS head, r.relation AS relation, endNode(r).name AS tail
       ORDER BY head, relation, tail`,
      { kb: knowledgeBaseId, entity },
    );
    return records.map((r) => ({
      id: r.get('id'),
      head: r.get('head'),
      relation: r.get('relation'),
      tail: r.get('tail'),
    }));
  }

  async delete(knowledgeBaseId: string, ids: string[]): Promise<void> {
    await this.driver.executeQuery(`MATCH (:Entity {kb: $kb})-[r:FACT]->() WHERE r.id IN $ids DELETE r`, {
      kb: knowledgeBaseId,
      ids,
    });
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}
