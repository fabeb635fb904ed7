import { enqueueOutbox } from '@zhibing/storage';
import type { DataSource, EntityManager } from 'typeorm';
import type { KnowledgeEntityRecord, KnowledgeItem, KnowledgeKind } from '../knowledge.types';

export interface KnowledgeBaseRow {
  id: string;
  workspaceId: string;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
}

export interface StoredKnowledgeItem extends KnowledgeItem {
  source: string | null;
  createdAt: string;
  /** Where the item came from beyond `source` (a document passage's section path); listings only. */
  metadata?: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const toKb = (r: Record<string, unknown>): KnowledgeBaseRow => ({
  id: String(r.id),
  workspaceId: String(r.workspace_id),
  name: String(r.name),
  description: String(r.description ?? ''),
  createdAt: new Date(r.created_at as string).toISOString(),
  updatedAt: new Date(r.updated_at as string).toISOString(),
});

const toItem = (r: Record<string, unknown>): StoredKnowledgeItem => {
  const item: StoredKnowledgeItem = {
    id: String(r.id),
    kind: r.kind as KnowledgeKind,
    source: (r.source as string | null) ?? null,
    createdAt: new Date(r.created_at as string).toISOString(),
  };
  for (const key of ['head', 'relation', 'tail', 'question', 'answer', 'text'] as const)
    if (r[key] !== null && r[key] !== undefined) item[key] = String(r[key]);
  if (r.metadata && typeof r.metadata === 'object' && Object.keys(r.metadata).length > 0)
    item.metadata = r.metadata as Record<string, unknown>;
  return item;
};

export interface ItemFilter {
  kind?: KnowledgeKind;
  entity?: string;
  q?: string;
}

function itemFilter(knowledgeBaseId: string, filter: ItemFilter): { where: string; params: unknown[] } {
  const pattern = filter.q ? `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return {
    where: `knowledge_base_id = $1 AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR head = $3)
      AND ($4::text IS NULL OR concat_ws(' ', question, answer, text, head, relation, tail, source) ILIKE $4)`,
    params: [knowledgeBaseId, filter.kind ?? null, filter.entity ?? null, pattern],
  };
}

const ITEM_COLUMNS = 'id, kind, head, relation, tail, question, answer, text, source, created_at';
/** Listings show the metadata too; the selection index does not load it. */
const LISTED_COLUMNS = `${ITEM_COLUMNS}, metadata`;

/** Reads and manages knowledge bases and their items in Postgres (PGlite or server). */
export class KnowledgeRepository {
  constructor(private readonly db: DataSource) {}

  async ensureKnowledgeBase(
    workspaceId: string,
    name: string,
    description = '',
  ): Promise<{ kb: KnowledgeBaseRow; created: boolean }> {
    const existing = await this.findKnowledgeBase(workspaceId, name);
    if (existing) return { kb: existing, created: false };
    // Only the insert that actually wrote the row created it: concurrent creators find it existing.
    const inserted = await this.db.query(
      `WITH added AS (INSERT INTO knowledge_bases (workspace_id, name, description) VALUES ($1, $2, $3)
         ON CONFLICT (workspace_id, name) DO NOTHING RETURNING id) SELECT id FROM added`,
      [workspaceId, name, description],
    );
    return { kb: (await this.findKnowledgeBase(workspaceId, name))!, created: inserted.length > 0 };
  }

  /** By name or id. */
  async findKnowledgeBase(workspaceId: string, nameOrId: string): Promise<KnowledgeBaseRow | null> {
    const rows = await this.db.query(
      `SELECT * FROM knowledge_bases WHERE workspace_id = $1 AND (name = $2 OR ($3::boolean AND id::text = $2))`,
      [workspaceId, nameOrId, UUID.test(nameOrId)],
    );
    return rows[0] ? toKb(rows[0]) : null;
  }

  async findKnowledgeBaseById(id: string): Promise<KnowledgeBaseRow | null> {
    if (!UUID.test(id)) return null;
    const rows = await this.db.query(`SELECT * FROM knowledge_bases WHERE id = $1`, [id]);
    return rows[0] ? toKb(rows[0]) : null;
  }

  /**
   * Queues all the base's items for the projections (e.g. Qdrant's collection of a newly
   * configured embedder), and runs `inside` in the same transaction (the service records the change).
   */
  async touch(
    knowledgeBaseId: string,
    projections: string[],
    inside: (manager: EntityManager) => Promise<unknown>,
  ): Promise<void> {
    await this.db.transaction(async (manager) => {
      if (projections.length > 0) {
        const rows: { id: string }[] = await manager.query(
          `SELECT id FROM knowledge_items WHERE knowledge_base_id = $1 ORDER BY created_at, id`,
          [knowledgeBaseId],
        );
        for (let start = 0; start < rows.length; start += 500) {
          const itemIds = rows.slice(start, start + 500).map((r) => r.id);
          await enqueueOutbox(
            manager,
            projections.map((target) => ({
              target,
              topic: 'knowledge.upserted',
              aggregateId: knowledgeBaseId,
              payload: { itemIds },
            })),
          );
        }
      }
      await inside(manager);
    });
  }

  async listKnowledgeBases(workspaceId: string): Promise<(KnowledgeBaseRow & { items: number })[]> {
    const rows = await this.db.query(
      `SELECT kb.*, (SELECT count(*)::int FROM knowledge_items i WHERE i.knowledge_base_id = kb.id) AS items
       FROM knowledge_bases kb WHERE workspace_id = $1 ORDER BY name`,
      [workspaceId],
    );
    return rows.map((r: Record<string, unknown>) => ({ ...toKb(r), items: Number(r.items) }));
  }

  async deleteKnowledgeBase(id: string): Promise<void> {
    await this.db.query(`DELETE FROM knowledge_bases WHERE id = $1`, [id]);
    await this.onBaseDeleted?.(id);
  }

  /** Everything selection needs, in a stable order. */
  async loadForIndex(knowledgeBaseId: string): Promise<{ items: KnowledgeItem[]; entities: KnowledgeEntityRecord[] }> {
    const items = await this.db.query(
      `SELECT ${ITEM_COLUMNS} FROM knowledge_items WHERE knowledge_base_id = $1 ORDER BY created_at, id`,
      [knowledgeBaseId],
    );
    const entities = await this.db.query(`SELECT name, aliases FROM entities WHERE knowledge_base_id = $1`, [
      knowledgeBaseId,
    ]);
    return {
      items: items.map(toItem),
      entities: entities.map((e: { name: string; aliases: string[] }) => ({ name: e.name, aliases: e.aliases ?? [] })),
    };
  }

  /** Some items (by id, in the order `loadForIndex` gives) and the entity records of their heads. */
  async loadItemsForIndex(
    knowledgeBaseId: string,
    ids: string[],
  ): Promise<{ items: KnowledgeItem[]; entities: KnowledgeEntityRecord[] }> {
    const rows = await this.db.query(
      `SELECT ${ITEM_COLUMNS} FROM knowledge_items WHERE knowledge_base_id = $1 AND id = ANY($2::uuid[]) ORDER BY created_at, id`,
      [knowledgeBaseId, ids],
    );
    const items: KnowledgeItem[] = rows.map(toItem);
    const heads = [...new Set(items.flatMap((item) => (item.head ? [item.head] : [])))];
    const entities =
      heads.length === 0
        ? []
        : await this.db.query(`SELECT name, aliases FROM entities WHERE knowledge_base_id = $1 AND name = ANY($2)`, [
            knowledgeBaseId,
            heads,
          ]);
    return {
      items,
      entities: entities.map((e: { name: string; aliases: string[] }) => ({ name: e.name, aliases: e.aliases ?? [] })),
    };
  }

  /** A page of items; `q` keeps those whose text contains it (case-insensitive, any field). */
  async listItems(knowledgeBaseId: string, options: ItemFilter & { limit: number; offset: number }) {
    const { where, params } = itemFilter(knowledgeBaseId, options);
    const rows = await this.db.query(
      `SELECT ${LISTED_COLUMNS} FROM knowledge_items WHERE ${where}
       ORDER BY created_at, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, options.limit, options.offset],
    );
    return rows.map(toItem) as StoredKnowledgeItem[];
  }

  /** How many items the same filter finds in all (for a paged table's total). */
  async countItems(knowledgeBaseId: string, options: ItemFilter): Promise<number> {
    const { where, params } = itemFilter(knowledgeBaseId, options);
    const [row] = await this.db.query(`SELECT count(*)::int AS total FROM knowledge_items WHERE ${where}`, params);
    return Number(row.total);
  }

  async getItem(knowledgeBaseId: string, id: string): Promise<StoredKnowledgeItem | null> {
    if (!UUID.test(id)) return null;
    const rows = await this.db.query(
      `SELECT ${LISTED_COLUMNS} FROM knowledge_items WHERE knowledge_base_id = $1 AND id = $2`,
      [knowledgeBaseId, id],
    );
    return rows[0] ? toItem(rows[0]) : null;
  }

  async getItems(ids: string[]): Promise<(StoredKnowledgeItem & { knowledgeBaseId: string })[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.query(
      `SELECT ${ITEM_COLUMNS}, knowledge_base_id FROM knowledge_items WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return rows.map((r: Record<string, unknown>) => ({ ...toItem(r), knowledgeBaseId: String(r.knowledge_base_id) }));
  }

  /** Called after a base is deleted (the service drops its index and tells other gateways). */
  onBaseDeleted?: (id: string) => Promise<void>;

  /** Deletes an item (and the graph edge of a fact); returns whether it existed. */
  async deleteItem(manager: EntityManager, knowledgeBaseId: string, id: string): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const rows = await manager.query(
      `WITH gone AS (DELETE FROM knowledge_items WHERE knowledge_base_id = $1 AND id = $2 RETURNING relation_id) SELECT * FROM gone`,
      [knowledgeBaseId, id],
    );
    if (rows.length === 0) return false;
    if (rows[0].relation_id) await manager.query(`DELETE FROM relations WHERE id = $1`, [rows[0].relation_id]);
    return true;
  }

  /** Streams a knowledge base's items in pages, for export. */
  async *iterateItems(
    knowledgeBaseId: string,
    kinds: KnowledgeKind[],
    pageSize = 2000,
  ): AsyncGenerator<StoredKnowledgeItem> {
    for (let offset = 0; ; offset += pageSize) {
      const rows = await this.db.query(
        `SELECT ${ITEM_COLUMNS} FROM knowledge_items WHERE knowledge_base_id = $1 AND kind = ANY($2) ORDER BY created_at, id LIMIT $3 OFFSET $4`,
        [knowledgeBaseId, kinds, pageSize, offset],
      );
      for (const row of rows) yield toItem(row);
      if (rows.length < pageSize) return;
    }
  }

  /** Whether embeddings are pgvector vectors or plain real[] (servers without pgvector). */
  async vectorColumn(): Promise<'vector' | 'real[]'> {
    const rows = await this.db.query(
      `SELECT udt_name FROM information_schema.columns WHERE table_name = 'knowledge_embeddings' AND column_name = 'embedding'`,
    );
    return rows[0]?.udt_name === 'vector' ? 'vector' : 'real[]';
  }
}
