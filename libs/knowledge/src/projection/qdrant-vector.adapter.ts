import type { QdrantClient } from '@qdrant/js-client-rest' with { 'resolution-mode': 'import' };
import type { VectorIndex, VectorPoint } from './vector-index.port';

/**
 * Qdrant as the vector index for scale: one collection per embedder (vectors of one model and
 * size), points keyed by item id with the knowledge base in the payload. Fed from the outbox.
 */
export class QdrantVectorAdapter implements VectorIndex {
  readonly name = 'qdrant';
  private clientPromise?: Promise<QdrantClient>;
  private readonly ready = new Map<string, Promise<void>>();

  constructor(private readonly options: { url: string; apiKey?: string; timeoutMs?: number }) {}

  /** The official client is an ES module; load it on first use. */
  private client(): Promise<QdrantClient> {
    this.clientPromise ??= import('@qdrant/js-client-rest').then(
      ({ QdrantClient }) =>
        new QdrantClient({
          url: this.options.url,
          apiKey: this.options.apiKey,
          timeout: this.options.timeoutMs ?? 5000,
          checkCompatibility: false,
        }),
    );
    return this.clientPromise;
  }

  private collection(embedder: string): string {
    return `zhibing_${embedder.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  }

  private ensure(embedder: string, size: number): Promise<void> {
    const name = this.collection(embedder);
    let ready = this.ready.get(name);
    if (!ready) {
      ready = (async () => {
        const client = await this.client();
        const { exists } = await client.collectionExists(name);
        if (!exists) {
          await client.createCollection(name, { vectors: { size, distance: 'Cosine' } });
          await client.createPayloadIndex(name, { field_name: 'kb', field_schema: 'keyword' });
        }
      })();
      ready.catch(() => this.ready.delete(name));
      this.ready.set(name, ready);
    }
    return ready;
  }

  async upsert(knowledgeBaseId: string, embedder: string, points: VectorPoint[]): Promise<void> {
    if (points.length === 0) return;
    await this.ensure(embedder, points[0].vector.length);
    await (
      await this.client()
    ).upsert(this.collection(embedder), {
      wait: true,
      points: points.map((p) => ({ id: p.id, vector: Array.from(p.vector), payload: { kb: knowledgeBaseId } })),
    });
  }

  async search(
    knowledgeBaseId: string,
    embedder: string,
    vector: Float32Array,
    limit: number,
  ): Promise<{ id: string; score: number }[]> {
    const client = await this.client();
    const { exists } = await client.collectionExists(this.collection(embedder));
    if (!exists) return [];
    const hits = await client.search(this.collection(embedder), {
      vector: Array.from(vector),
      limit,
      filter: { must: [{ key: 'kb', match: { value: knowledgeBaseId } }] },
    });
    return hits.map((hit) => ({ id: String(hit.id), score: hit.score }));
  }

  async delete(knowledgeBaseId: string, ids: string[]): Promise<void> {
    const client = await this.client();
    const collections = (await client.getCollections()).collections.filter((c) => c.name.startsWith('zhibing_'));
    for (const { name } of collections) {
      await client.delete(name, {
        wait: true,
        filter: { must: [{ key: 'kb', match: { value: knowledgeBaseId } }, { has_id: ids }] },
      });
    }
  }
}
