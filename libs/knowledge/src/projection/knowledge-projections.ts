import type { Embedder } from '../embedding/embedder.port';
import { itemText } from '../selection/knowledge-index';
import type { KnowledgeRepository } from '../store/knowledge.repository';
import type { OutboxRow, Projection } from './outbox-dispatcher';
import type { GraphIndex, VectorIndex } from './vector-index.port';

interface ItemsPayload {
  itemIds: string[];
}

/** Applies knowledge changes to an external vector index: embeds the items and upserts them. */
export class VectorProjection implements Projection {
  constructor(
    readonly target: string,
    private readonly index: VectorIndex,
    private readonly repository: KnowledgeRepository,
    private readonly embedder: Embedder,
  ) {}

  async apply(message: OutboxRow): Promise<void> {
    const { itemIds } = message.payload as ItemsPayload;
    if (message.topic === 'knowledge.deleted') return this.index.delete(message.aggregateId, itemIds);
    const items = await this.repository.getItems(itemIds);
    const vectors = await this.embedder.embed(items.map(itemText));
    await this.index.upsert(
      message.aggregateId,
      this.embedder.id,
      items.map((item, i) => ({ id: item.id, vector: vectors[i] })),
    );
  }
}

/** Applies knowledge changes to an external graph: facts become edges. */
export class GraphProjection implements Projection {
  constructor(
    readonly target: string,
    private readonly graph: GraphIndex,
    private readonly repository: KnowledgeRepository,
  ) {}

  async apply(message: OutboxRow): Promise<void> {
    const { itemIds } = message.payload as ItemsPayload;
    if (message.topic === 'knowledge.deleted') return this.graph.delete(message.aggregateId, itemIds);
    const facts = (await this.repository.getItems(itemIds)).filter((i) => i.kind === 'fact');
    await this.graph.upsert(
      message.aggregateId,
      facts.map((f) => ({ id: f.id, head: f.head!, relation: f.relation!, tail: f.tail! })),
    );
  }
}
