/** A point of the vector index: one knowledge item's embedding. */
export interface VectorPoint {
  id: string;
  vector: Float32Array;
}

/**
 * Nearest-neighbour search over item embeddings, per knowledge base. Implementations: Postgres
 * (pgvector, or an exact scan where the server lacks it) and Qdrant. All pass one contract suite.
 */
export interface VectorIndex {
  readonly name: string;
  upsert(knowledgeBaseId: string, embedder: string, points: VectorPoint[]): Promise<void>;
  /** Best matches first; score is cosine similarity. */
  search(
    knowledgeBaseId: string,
    embedder: string,
    vector: Float32Array,
    limit: number,
  ): Promise<{ id: string; score: number }[]>;
  delete(knowledgeBaseId: string, ids: string[]): Promise<void>;
}

/** A graph edge: a fact about an entity. */
export interface GraphFact {
  id: string;
  head: string;
  relation: string;
  tail: string;
}

/**
 * Graph traversal over entities and facts, per knowledge base. Implementations: Postgres
 * (relations table, recursive SQL) and Neo4j. All pass one contract suite.
 */
export interface GraphIndex {
  readonly name: string;
  upsert(knowledgeBaseId: string, facts: GraphFact[]): Promise<void>;
  /** Facts within `depth` hops of the entity (1 = its own facts and facts pointing at it). */
  neighbourhood(knowledgeBaseId: string, entity: string, depth: number): Promise<GraphFact[]>;
  delete(knowledgeBaseId: string, ids: string[]): Promise<void>;
}
