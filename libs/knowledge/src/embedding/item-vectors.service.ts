import type { KnowledgeItem } from '../knowledge.types';
import { itemText } from '../selection/knowledge-index';
import type { KnowledgeEmbeddingRepository } from '../store/knowledge-embedding.repository';
import { type Embedder, isSync } from './embedder.port';

export interface FillReport {
  /** Items of the base. */
  items: number;
  /** Items that already had a vector of this embedder (a resumed or repeated run skips them). */
  skipped: number;
  /** Items embedded by this run. */
  embedded: number;
}

/**
 * The knowledge items' vectors of the configured embedder, kept in Postgres: read back when an
 * index is built, and computed (then stored) only for items that have none yet — after an import
 * under another embedder, or a change of embedder.
 */
export class ItemVectorsService {
  constructor(
    private readonly embeddings: KnowledgeEmbeddingRepository,
    readonly embedder: Embedder,
    private readonly batchSize = 64,
  ) {}

  /**
   * Vectors for `items` in their order: stored ones, and the missing ones embedded and stored now.
   * Empty for a synchronous (hashing) embedder: the index recomputes those faster than Postgres
   * returns them (bench `embedder`: 463 vs 651 ms for 11k items).
   */
  async forIndex(knowledgeBaseId: string, items: KnowledgeItem[], some = false): Promise<Float32Array[]> {
    if (isSync(this.embedder)) return [];
    // `some`: a few items of a large base (a change): read just theirs.
    const stored = some
      ? await this.embeddings.loadFor(
          knowledgeBaseId,
          this.embedder.id,
          items.map((item) => item.id),
        )
      : await this.embeddings.load(knowledgeBaseId, this.embedder.id);
    const width = this.embedder.dimensions;
    // A stored vector of another width cannot be this embedder's: embed that item again.
    const missing = items.filter((item) => stored.get(item.id)?.length !== width);
    for (let start = 0; start < missing.length; start += this.batchSize) {
      const batch = missing.slice(start, start + this.batchSize);
      const points = await this.embedBatch(knowledgeBaseId, batch);
      for (const point of points) stored.set(point.id, point.vector);
    }
    return items.map((item) => stored.get(item.id)!);
  }

  /**
   * Embeds every item of the base that has no vector of this embedder, in batches, each stored as
   * soon as it is embedded: an interrupted run resumes where it stopped.
   */
  async fillMissing(knowledgeBaseId: string, onProgress?: (done: number, total: number) => void): Promise<FillReport> {
    const before = await this.embeddings.coverage(knowledgeBaseId, this.embedder.id);
    let embedded = 0;
    onProgress?.(before.embedded, before.items);
    for (;;) {
      const batch = await this.embeddings.missing(knowledgeBaseId, this.embedder.id, this.batchSize);
      if (batch.length === 0) break;
      await this.embedBatch(knowledgeBaseId, batch);
      embedded += batch.length;
      onProgress?.(Math.min(before.embedded + embedded, before.items), before.items);
    }
    return { items: before.items, skipped: before.embedded, embedded };
  }

  private async embedBatch(
    knowledgeBaseId: string,
    items: KnowledgeItem[],
  ): Promise<{ id: string; vector: Float32Array }[]> {
    const vectors = await this.embedder.embed(items.map(itemText));
    const points = items.map((item, i) => ({ id: item.id, vector: vectors[i] }));
    await this.embeddings.save(knowledgeBaseId, this.embedder.id, points);
    return points;
  }
}
