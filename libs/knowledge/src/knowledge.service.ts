import { ZhibingError } from '@zhibing/protocol';
import { EmbedderError } from './embedding/embedder.errors';
import type { DataSource } from 'typeorm';
import type { Embedder } from './embedding/embedder.port';
import { HashingEmbedder } from './embedding/hashing-embedder';
import { type FillReport, ItemVectorsService } from './embedding/item-vectors.service';
import type { ImportFormat, KnowledgeRecord, RejectedLine } from './import/knowledge-records';
import { parseImport } from './import/parse-import';
import { KnowledgeBaseNotFoundError, KnowledgeItemNotFoundError } from './knowledge.errors';
import type { KnowledgeKind, RankedKnowledge } from './knowledge.types';
import { KnowledgeIndex } from './selection/knowledge-index';
import { denseMatches, denseQuery, selectKnowledge } from './selection/knowledge-selector';
import type { DialogueTurn } from './selection/dialogue-turn';
import type { VectorIndex } from './projection/vector-index.port';
import { TextTokenizer } from './selection/text-tokenizer';
import { type KnowledgeBaseRow, KnowledgeRepository, type StoredKnowledgeItem } from './store/knowledge.repository';
import { KnowledgeEmbeddingRepository } from './store/knowledge-embedding.repository';
import { writeRecords } from './store/knowledge-writer';
import { exportLine } from './import/export-line';

export interface ImportReport {
  knowledgeBase: { id: string; name: string; created: boolean };
  lines: number;
  inserted: number;
  unchanged: number;
  rejected: RejectedLine[];
  ms: number;
}

export interface KnowledgeServiceOptions {
  /** Outbox targets that must receive every change (e.g. `qdrant`, `neo4j`), when configured. */
  projections?: string[];
  /** An external vector index (Qdrant) that dense retrieval reads from; default: in memory. */
  vectorIndex?: VectorIndex;
  /**
   * What embeds items and queries (the deployment builds it from config: createEmbedder); the
   * offline default is the built-in hashing embedder.
   */
  embedder?: Embedder;
}

export interface ReembedReport extends FillReport {
  knowledgeBase: { id: string; name: string };
  embedder: string;
  ms: number;
}

export interface Selection {
  items: RankedKnowledge[];
  /** Set when a configured store failed and selection fell back to Postgres / memory. */
  degraded?: string;
}

/**
 * The knowledge base's use cases, free of any transport: import/export, item CRUD and selection.
 * Postgres is the source of truth; the selection index is built from its rows and cached per
 * knowledge base until the base changes (checked by its `updated_at`, so it also holds across
 * several gateway processes).
 */
export class KnowledgeService {
  readonly repository: KnowledgeRepository;
  /** The one embedder of this deployment: items, queries, and (through the dialogue) history. */
  readonly embedder: Embedder;
  private readonly vectors: ItemVectorsService;
  private readonly indexes = new Map<string, { version: string; checkedAt: number; index: Promise<KnowledgeIndex> }>();
  /** How long a cached index is trusted before its base's version is checked again (other processes' writes). */
  private static readonly VERSION_CHECK_MS = 1000;
  private readonly projections: string[];

  constructor(
    private readonly db: DataSource,
    private readonly options: KnowledgeServiceOptions = {},
  ) {
    this.repository = new KnowledgeRepository(db);
    this.embedder = options.embedder ?? new HashingEmbedder();
    this.vectors = new ItemVectorsService(new KnowledgeEmbeddingRepository(db), this.embedder);
    this.projections = options.projections ?? [];
  }

  async requireKnowledgeBase(workspaceId: string, nameOrId: string): Promise<KnowledgeBaseRow> {
    const kb = await this.repository.findKnowledgeBase(workspaceId, nameOrId);
    if (!kb) throw new KnowledgeBaseNotFoundError(nameOrId);
    return kb;
  }

  /**
   * Imports a file into the knowledge base `name` (created when missing). Bad lines are
   * reported and skipped; the good ones are written in one transaction, so an import either
   * lands whole or not at all. Re-importing the same file changes nothing.
   */
  async importFile(
    workspaceId: string,
    name: string,
    format: ImportFormat,
    content: string,
    onProgress?: (done: number, total: number) => void,
  ): Promise<ImportReport> {
    const started = performance.now();
    const { records, rejected } = parseImport(format, content);
    // A file with nothing to import must not leave a new, empty base behind.
    if (records.length === 0 && !(await this.repository.findKnowledgeBase(workspaceId, name))) {
      throw new ZhibingError('import_invalid', `Nothing to import: ${rejected.length} lines, none valid`, {
        rejected: rejected.slice(0, 50),
      });
    }
    const { kb, created } = await this.repository.ensureKnowledgeBase(workspaceId, name);
    let written: Awaited<ReturnType<KnowledgeService['write']>>;
    try {
      written = await this.write(
        kb.id,
        records.map((r) => r.record),
        onProgress,
      );
    } catch (error) {
      // The import lands whole or not at all: a base it created goes with it.
      if (created) await this.repository.deleteKnowledgeBase(kb.id);
      throw error;
    }
    return {
      knowledgeBase: { id: kb.id, name: kb.name, created },
      lines: records.length + rejected.length,
      inserted: written.inserted,
      unchanged: written.unchanged,
      rejected,
      ms: Math.round(performance.now() - started),
    };
  }

  /** Imports already validated records (e.g. a persona's seed knowledge) into the base `name`. */
  async importRecords(
    workspaceId: string,
    name: string,
    records: KnowledgeRecord[],
  ): Promise<{ knowledgeBaseId: string; inserted: number }> {
    const { kb } = await this.repository.ensureKnowledgeBase(workspaceId, name);
    const written = await this.write(kb.id, records);
    return { knowledgeBaseId: kb.id, inserted: written.inserted };
  }

  /** Adds one item (QA pair, description or fact); returns it, or the identical one already stored. */
  async addItem(knowledgeBaseId: string, record: KnowledgeRecord): Promise<StoredKnowledgeItem> {
    const written = await this.write(knowledgeBaseId, [record]);
    if (written.itemIds[0]) return (await this.repository.getItem(knowledgeBaseId, written.itemIds[0]))!;
    throw new ZhibingError('knowledge_item_conflict', 'An identical item already exists in this knowledge base');
  }

  async deleteItem(knowledgeBaseId: string, id: string): Promise<void> {
    const deleted = await this.db.transaction(async (manager) => {
      const gone = await this.repository.deleteItem(manager, knowledgeBaseId, id);
      if (gone) {
        for (const target of this.projections) {
          await manager.query(
            `INSERT INTO outbox (target, topic, aggregate_id, payload) VALUES ($1, 'knowledge.deleted', $2, $3::jsonb)`,
            [target, knowledgeBaseId, JSON.stringify({ itemIds: [id] })],
          );
        }
      }
      return gone;
    });
    this.indexes.delete(knowledgeBaseId);
    if (!deleted) throw new KnowledgeItemNotFoundError(id);
  }

  /** Exports items as lines of the given import format (JSON Lines or CSV), ready to re-import. */
  async *exportLines(knowledgeBaseId: string, format: ImportFormat): AsyncGenerator<string> {
    const kinds: KnowledgeKind[] =
      format === 'qa' || format === 'csv'
        ? ['qa']
        : format === 'descriptions'
          ? ['description']
          : ['fact', 'description'];
    if (format === 'csv') yield 'question,answer,source';
    for await (const item of this.repository.iterateItems(knowledgeBaseId, kinds)) yield exportLine(format, item);
  }

  /**
   * Ranked knowledge for the reply to the newest of `turns` (oldest first). When an external
   * vector index is configured, dense matches come from it; if it fails, selection falls back
   * to the in-memory vectors built from Postgres and says so in `degraded`.
   */
  async select(knowledgeBaseId: string, turns: (string | DialogueTurn)[], top: number): Promise<Selection> {
    const index = await this.index(knowledgeBaseId);
    const query = denseQuery(turns);
    if (query === '') return { items: selectKnowledge(index, turns, { top, dense: [] }) };
    let vector: Float32Array;
    try {
      [vector] = await this.embedder.embed([query]);
    } catch (error) {
      // An embedding server that is down must not cost the turn: graph and lexical selection go on.
      if (!(error instanceof EmbedderError)) throw error;
      const degraded = `embedder ${this.embedder.id} failed (${error.code}); selection without dense retrieval`;
      return { items: selectKnowledge(index, turns, { top, dense: [] }), degraded };
    }
    const inMemory = () => selectKnowledge(index, turns, { top, dense: denseMatches(index, vector) });
    if (!this.options.vectorIndex) return { items: inMemory() };
    try {
      const hits = await this.options.vectorIndex.search(knowledgeBaseId, this.embedder.id, vector, 50);
      const dense = hits.flatMap((h): [number, number][] => {
        const position = index.itemPosition.get(h.id);
        return position === undefined ? [] : [[position, h.score]];
      });
      return { items: selectKnowledge(index, turns, { top, dense }) };
    } catch (error) {
      return {
        items: inMemory(),
        degraded: `${this.options.vectorIndex.name} unreachable (${(error as Error).message}); dense retrieval from Postgres`,
      };
    }
  }

  /**
   * Embeds every item of the base that has no vector of the configured embedder yet (all of them
   * after a change of embedder), in batches; resumable, since what is stored is skipped. Then
   * tells every index cache (the base's updated_at) and the projections (Qdrant keeps vectors).
   */
  async reembed(knowledgeBaseId: string, onProgress?: (done: number, total: number) => void): Promise<ReembedReport> {
    const started = performance.now();
    const kb = await this.repository.findKnowledgeBaseById(knowledgeBaseId);
    if (!kb) throw new KnowledgeBaseNotFoundError(knowledgeBaseId);
    const report = await this.vectors.fillMissing(knowledgeBaseId, onProgress);
    await this.repository.touch(knowledgeBaseId, this.projections);
    this.indexes.delete(knowledgeBaseId);
    const ms = Math.round(performance.now() - started);
    return { knowledgeBase: { id: kb.id, name: kb.name }, embedder: this.embedder.id, ...report, ms };
  }

  /** The cached selection index of a knowledge base, rebuilt when the base has changed. */
  async index(knowledgeBaseId: string): Promise<KnowledgeIndex> {
    const cached = this.indexes.get(knowledgeBaseId);
    if (cached && performance.now() - cached.checkedAt < KnowledgeService.VERSION_CHECK_MS) return cached.index;
    const rows = await this.db.query(`SELECT updated_at FROM knowledge_bases WHERE id = $1`, [knowledgeBaseId]);
    if (!rows[0]) throw new KnowledgeBaseNotFoundError(knowledgeBaseId);
    const version = new Date(rows[0].updated_at).toISOString();
    if (cached?.version === version) {
      cached.checkedAt = performance.now();
      return cached.index;
    }
    // Stored vectors of the configured embedder; only items without one are embedded (and stored).
    const index = this.repository.loadForIndex(knowledgeBaseId).then(async ({ items, entities }) => {
      const vectors = await this.vectors.forIndex(knowledgeBaseId, items);
      return new KnowledgeIndex(items, entities, this.embedder, vectors);
    });
    this.indexes.set(knowledgeBaseId, { version, checkedAt: performance.now(), index });
    index.catch(() => this.indexes.delete(knowledgeBaseId));
    return index;
  }

  private async write(
    knowledgeBaseId: string,
    records: KnowledgeRecord[],
    onProgress?: (done: number, total: number) => void,
  ) {
    const entityNames = records.flatMap((r) =>
      r.type === 'triple' ? [r.head] : r.type === 'description' ? [r.entity] : [],
    );
    const tokenizer = new TextTokenizer(entityNames);
    const vectorColumn = await this.repository.vectorColumn();
    const result = await this.db.transaction(async (manager) => {
      const total = { inserted: 0, unchanged: 0, itemIds: [] as string[] };
      const chunk = 2000;
      for (let start = 0; start < Math.max(records.length, 1); start += chunk) {
        const written = await writeRecords(manager, knowledgeBaseId, records.slice(start, start + chunk), {
          tokenizer,
          embedder: this.embedder,
          projections: this.projections,
          vectorColumn,
        });
        total.inserted += written.inserted;
        total.unchanged += written.unchanged;
        total.itemIds.push(...written.itemIds);
        onProgress?.(Math.min(start + chunk, records.length), records.length);
      }
      return total;
    });
    this.indexes.delete(knowledgeBaseId);
    return result;
  }
}
