import { ZhibingError } from '@zhibing/protocol';
import { EmbedderError } from './embedding/embedder.errors';
import type { DataSource, EntityManager } from 'typeorm';
import { isEmbedded } from '@zhibing/storage';
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
import { type KnowledgeBaseRow, KnowledgeRepository, type StoredKnowledgeItem } from './store/knowledge.repository';
import { KnowledgeEmbeddingRepository } from './store/knowledge-embedding.repository';
import { KnowledgeChangeRepository } from './store/knowledge-change.repository';
import { KnowledgeIndexCache } from './sync/knowledge-index-cache';
import type { KnowledgeChangeFeed } from './sync/knowledge-change-feed.port';
import { InProcessChangeFeed } from './sync/in-process-change-feed.adapter';
import { PostgresChangeFeed } from './sync/postgres-change-feed.adapter';
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
  /**
   * How often cached indexes check their base's version, for change notices that got lost (ms;
   * default 30 s). Changes normally arrive at once through LISTEN/NOTIFY.
   */
  versionCheckMs?: number;
  /** Where changes are heard; default: LISTEN on a Postgres server, an in-process bus on PGlite. */
  changeFeed?: KnowledgeChangeFeed;
  /** Where background failures (a dropped listener, a failed catch-up) are reported; default: stderr. */
  onError?: (error: Error) => void;
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
 * Postgres is the source of truth; the selection index is built from its rows once per knowledge
 * base, then kept up to date with the base's change log (every write records the item ids it
 * added and removed and announces it with NOTIFY, so other gateways apply it at once).
 */
export class KnowledgeService {
  readonly repository: KnowledgeRepository;
  /** The one embedder of this deployment: items, queries, and (through the dialogue) history. */
  readonly embedder: Embedder;
  private readonly vectors: ItemVectorsService;
  private readonly indexes: KnowledgeIndexCache;
  private readonly changes: KnowledgeChangeRepository;
  private readonly feed: KnowledgeChangeFeed;
  private readonly projections: string[];

  constructor(
    private readonly db: DataSource,
    private readonly options: KnowledgeServiceOptions = {},
  ) {
    this.repository = new KnowledgeRepository(db);
    this.embedder = options.embedder ?? new HashingEmbedder();
    this.vectors = new ItemVectorsService(new KnowledgeEmbeddingRepository(db), this.embedder);
    this.projections = options.projections ?? [];
    this.changes = new KnowledgeChangeRepository(db);
    const onError = options.onError ?? ((error: Error) => process.stderr.write(`knowledge index: ${error.message}\n`));
    this.feed = options.changeFeed ?? defaultFeed(db, onError);
    this.indexes = new KnowledgeIndexCache(this.repository, this.changes, this.vectors, this.embedder, this.feed, {
      versionCheckMs: options.versionCheckMs ?? 30_000,
      // About 20 ms of work per slice at most (cutting and embedding an item takes 40–80 µs here).
      slice: 250,
      reloadShare: 0.25,
      onError,
      alive: () => db.isInitialized,
    });
    this.repository.onBaseDeleted = async (id) => {
      this.indexes.evict(id);
      await this.changes.announceDeleted(this.db.manager, id);
      this.feed.publish(id, -1);
    };
  }

  /** Stops listening for changes (the database stays open). */
  async close(): Promise<void> {
    await this.indexes.close();
  }

  /** Nest calls this when the application shuts down. */
  onModuleDestroy(): Promise<void> {
    return this.close();
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
  ): Promise<{ knowledgeBaseId: string; inserted: number; itemIds: string[] }> {
    const { kb } = await this.repository.ensureKnowledgeBase(workspaceId, name);
    const written = await this.write(kb.id, records);
    return { knowledgeBaseId: kb.id, inserted: written.inserted, itemIds: written.itemIds };
  }

  /** Adds one item (QA pair, description or fact); returns it, or the identical one already stored. */
  async addItem(knowledgeBaseId: string, record: KnowledgeRecord): Promise<StoredKnowledgeItem> {
    const written = await this.write(knowledgeBaseId, [record]);
    if (written.itemIds[0]) return (await this.repository.getItem(knowledgeBaseId, written.itemIds[0]))!;
    throw new ZhibingError('knowledge_item_conflict', 'An identical item already exists in this knowledge base');
  }

  async deleteItem(knowledgeBaseId: string, id: string): Promise<void> {
    if ((await this.deleteItems(knowledgeBaseId, [id])) === 0) throw new KnowledgeItemNotFoundError(id);
  }

  /** Deletes items in one transaction (one change, one outbox row per projection); returns how many existed. */
  async deleteItems(knowledgeBaseId: string, ids: string[]): Promise<number> {
    const result = await this.db.transaction(async (manager) => {
      const gone: string[] = [];
      for (const id of ids) if (await this.repository.deleteItem(manager, knowledgeBaseId, id)) gone.push(id);
      if (gone.length === 0) return { gone, version: undefined };
      await this.announceDeleted(manager, knowledgeBaseId, gone);
      return { gone, version: await this.changes.record(manager, knowledgeBaseId, { removed: gone }) };
    });
    if (result.version !== undefined) await this.changed(knowledgeBaseId, result.version);
    return result.gone.length;
  }

  /**
   * Replaces an item's content in one transaction: the old item is deleted and the edited one
   * added (with a new id, so every index and projection sees a plain remove + add), keeping its
   * metadata. Throws knowledge_item_conflict, changing nothing, when the edit equals another item.
   */
  async replaceItem(knowledgeBaseId: string, id: string, record: KnowledgeRecord): Promise<StoredKnowledgeItem> {
    const old = await this.repository.getItem(knowledgeBaseId, id);
    if (!old) throw new KnowledgeItemNotFoundError(id);
    const vectorColumn = await this.repository.vectorColumn();
    const { newId, version } = await this.db.transaction(async (manager) => {
      if (!(await this.repository.deleteItem(manager, knowledgeBaseId, id))) throw new KnowledgeItemNotFoundError(id);
      await this.announceDeleted(manager, knowledgeBaseId, [id]);
      const written = await writeRecords(manager, knowledgeBaseId, [{ ...record, metadata: old.metadata }], {
        embedder: this.embedder,
        projections: this.projections,
        vectorColumn,
      });
      if (!written.itemIds[0])
        throw new ZhibingError('knowledge_item_conflict', 'An identical item already exists in this knowledge base');
      const changed = { removed: [id], added: written.itemIds };
      return { newId: written.itemIds[0], version: await this.changes.record(manager, knowledgeBaseId, changed) };
    });
    await this.changed(knowledgeBaseId, version);
    return (await this.repository.getItem(knowledgeBaseId, newId))!;
  }

  private async announceDeleted(manager: EntityManager, knowledgeBaseId: string, itemIds: string[]): Promise<void> {
    for (const target of this.projections) {
      await manager.query(
        `INSERT INTO outbox (target, topic, aggregate_id, payload) VALUES ($1, 'knowledge.deleted', $2, $3::jsonb)`,
        [target, knowledgeBaseId, JSON.stringify({ itemIds })],
      );
    }
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
    let version = 0;
    await this.repository.touch(knowledgeBaseId, this.projections, async (manager) => {
      version = await this.changes.record(manager, knowledgeBaseId, { reload: true });
    });
    await this.changed(knowledgeBaseId, version);
    const ms = Math.round(performance.now() - started);
    return { knowledgeBase: { id: kb.id, name: kb.name }, embedder: this.embedder.id, ...report, ms };
  }

  /**
   * The selection index of a knowledge base: loaded (in slices) on first use, then kept up to date
   * with the base's changes; it never waits for a change to be applied.
   */
  index(knowledgeBaseId: string): Promise<KnowledgeIndex> {
    return this.indexes.get(knowledgeBaseId);
  }

  /** The base version this process's index holds (undefined when not loaded): what a change reached. */
  indexVersion(knowledgeBaseId: string): number | undefined {
    return this.indexes.version(knowledgeBaseId);
  }

  /**
   * A change committed: other services in this process hear of it (other processes hear the
   * NOTIFY), and this one applies it before the write returns, so a writer reads its own writes.
   */
  private async changed(knowledgeBaseId: string, version: number): Promise<void> {
    this.feed.publish(knowledgeBaseId, version);
    await this.indexes.catchUp(knowledgeBaseId, version);
  }

  private async write(
    knowledgeBaseId: string,
    records: KnowledgeRecord[],
    onProgress?: (done: number, total: number) => void,
  ) {
    const vectorColumn = await this.repository.vectorColumn();
    const result = await this.db.transaction(async (manager) => {
      const total = { inserted: 0, unchanged: 0, itemIds: [] as string[] };
      const chunk = 2000;
      for (let start = 0; start < Math.max(records.length, 1); start += chunk) {
        const written = await writeRecords(manager, knowledgeBaseId, records.slice(start, start + chunk), {
          embedder: this.embedder,
          projections: this.projections,
          vectorColumn,
        });
        total.inserted += written.inserted;
        total.unchanged += written.unchanged;
        total.itemIds.push(...written.itemIds);
        onProgress?.(Math.min(start + chunk, records.length), records.length);
      }
      const version =
        total.itemIds.length > 0
          ? await this.changes.record(manager, knowledgeBaseId, { added: total.itemIds })
          : undefined;
      return { ...total, version };
    });
    if (result.version !== undefined) await this.changed(knowledgeBaseId, result.version);
    return result;
  }
}

/** LISTEN on a Postgres server; an in-process bus for embedded PGlite (one process owns it). */
function defaultFeed(db: DataSource, onError: (error: Error) => void): KnowledgeChangeFeed {
  if (isEmbedded(db)) return new InProcessChangeFeed(db);
  const o = db.options as {
    url?: string;
    host?: string;
    port?: number;
    username?: string;
    password?: string;
    database?: string;
  };
  return new PostgresChangeFeed(
    {
      connectionString: o.url,
      host: o.host,
      port: o.port,
      user: o.username,
      password: o.password,
      database: o.database,
    },
    () => db.isInitialized,
    onError,
  );
}
