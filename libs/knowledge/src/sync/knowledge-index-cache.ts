import type { Embedder } from '../embedding/embedder.port';
import type { ItemVectorsService } from '../embedding/item-vectors.service';
import { KnowledgeBaseNotFoundError } from '../knowledge.errors';
import type { KnowledgeItem } from '../knowledge.types';
import { KnowledgeIndex } from '../selection/knowledge-index';
import type { KnowledgeChangeRepository } from '../store/knowledge-change.repository';
import type { KnowledgeRepository } from '../store/knowledge.repository';
import type { KnowledgeChangeFeed } from './knowledge-change-feed.port';

interface Entry {
  /** The index selection reads; replaced whole only by a reload. */
  index?: KnowledgeIndex;
  ready: Promise<KnowledgeIndex>;
  /** The base's version the index holds. */
  version: number;
  /** Changes apply one after another. */
  queue: Promise<void>;
}

export interface IndexCacheOptions {
  /** How often the cached bases' versions are checked, for notices that got lost (ms). */
  versionCheckMs: number;
  /** Items applied per slice before the event loop gets a turn. */
  slice: number;
  /** A change larger than this share of the base is applied by building a new index off to the side. */
  reloadShare: number;
  onError: (error: Error) => void;
  /** Whether the database is still open (after it closes, nothing is checked any more). */
  alive: () => boolean;
}

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The selection indexes of the knowledge bases this process serves, each kept up to date with the
 * change log: a write here or in another gateway (heard through the change feed, or at worst by
 * the periodic version check) applies just the items it added and removed, in slices that yield
 * to the event loop. Selection never waits for that: it reads the current index meanwhile. Only a
 * base's first load (or a reload: a change of embedder, or too far behind) builds a whole index,
 * in slices, beside the old one.
 */
export class KnowledgeIndexCache {
  private readonly entries = new Map<string, Entry>();
  private timer?: NodeJS.Timeout;
  private started = false;

  constructor(
    private readonly repository: KnowledgeRepository,
    private readonly changes: KnowledgeChangeRepository,
    private readonly vectors: ItemVectorsService,
    private readonly embedder: Embedder,
    private readonly feed: KnowledgeChangeFeed,
    private readonly options: IndexCacheOptions,
  ) {}

  /** The base's index: at once when loaded, else once its first build ends. */
  get(knowledgeBaseId: string): Promise<KnowledgeIndex> {
    const entry = this.entries.get(knowledgeBaseId);
    if (entry?.index) return Promise.resolve(entry.index);
    if (entry) return entry.ready;
    this.start();
    const created: Entry = { version: 0, queue: Promise.resolve(), ready: undefined! };
    created.ready = this.load(knowledgeBaseId).then(
      ({ index, version }) => {
        created.index = index;
        created.version = version;
        // Changes that committed while the base loaded (applying one twice changes nothing).
        this.catchUp(knowledgeBaseId);
        return index;
      },
      (error: Error) => {
        this.entries.delete(knowledgeBaseId);
        throw error;
      },
    );
    this.entries.set(knowledgeBaseId, created);
    return created.ready;
  }

  /** The version the cached index of a base holds (undefined when not loaded). */
  version(knowledgeBaseId: string): number | undefined {
    const entry = this.entries.get(knowledgeBaseId);
    return entry?.index ? entry.version : undefined;
  }

  /**
   * A change committed (here, or announced by the feed): applies the log after the index's version.
   * Resolves when the index holds at least `version`.
   */
  catchUp(knowledgeBaseId: string, version?: number): Promise<void> {
    const entry = this.entries.get(knowledgeBaseId);
    if (!entry) return Promise.resolve();
    if (version === -1) {
      this.entries.delete(knowledgeBaseId);
      return Promise.resolve();
    }
    if (entry.index && version !== undefined && version <= entry.version) return Promise.resolve();
    entry.queue = entry.queue
      .then(() => entry.ready)
      .then(() => this.applyLog(knowledgeBaseId, entry))
      .catch((error: Error) => this.report(error));
    return entry.queue;
  }

  /** Forgets a base (deleted). */
  evict(knowledgeBaseId: string): void {
    this.entries.delete(knowledgeBaseId);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.feed.close();
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.feed.start(
      (kb, version) => void this.catchUp(kb, version),
      () => {
        for (const kb of this.entries.keys()) void this.catchUp(kb);
      },
    );
    this.timer = setInterval(() => void this.checkVersions(), this.options.versionCheckMs);
    this.timer.unref();
  }

  /** The slow fallback: one query for every cached base's version. */
  private async checkVersions(): Promise<void> {
    if (!this.options.alive()) return void (await this.close());
    try {
      const loaded = [...this.entries].filter(([, entry]) => entry.index).map(([kb]) => kb);
      const versions = await this.changes.versions(loaded);
      for (const kb of loaded) {
        const version = versions.get(kb);
        if (version === undefined) this.evict(kb);
        else if (version > this.entries.get(kb)!.version) void this.catchUp(kb, version);
      }
    } catch (error) {
      this.report(error as Error);
    }
  }

  /** A failure once the database is closed is the shutdown, not a fault worth reporting. */
  private report(error: Error): void {
    if (this.options.alive()) this.options.onError(error);
  }

  private async load(knowledgeBaseId: string): Promise<{ index: KnowledgeIndex; version: number }> {
    // The version first: whatever commits during the load is applied again after it, harmlessly.
    const version = (await this.changes.versions([knowledgeBaseId])).get(knowledgeBaseId);
    if (version === undefined) throw new KnowledgeBaseNotFoundError(knowledgeBaseId);
    const { items, entities } = await this.repository.loadForIndex(knowledgeBaseId);
    // Stored vectors of the configured embedder; only items without one are embedded (and stored).
    const vectors = await this.vectors.forIndex(knowledgeBaseId, items);
    const index = await KnowledgeIndex.build(items, entities, this.embedder, vectors, { slice: this.options.slice });
    return { index, version };
  }

  private async applyLog(knowledgeBaseId: string, entry: Entry): Promise<void> {
    const { changes, complete } = await this.changes.since(knowledgeBaseId, entry.version);
    if (changes.length === 0) return;
    const size = entry.index!.size;
    const touched = changes.reduce((n, c) => n + c.added.length + c.removed.length, 0);
    if (!complete || changes.some((c) => c.reload) || touched > Math.max(1000, size * this.options.reloadShare)) {
      // A new index beside the current one; selection reads the old one until the swap.
      const loaded = await this.load(knowledgeBaseId);
      if (this.entries.get(knowledgeBaseId) !== entry) return;
      entry.index = loaded.index;
      entry.version = loaded.version;
      return this.applyLog(knowledgeBaseId, entry);
    }
    for (const change of changes) {
      const index = entry.index!;
      for (let start = 0; start < change.removed.length; start += this.options.slice) {
        index.remove(change.removed.slice(start, start + this.options.slice));
        await pause();
      }
      const added = await this.loadItems(knowledgeBaseId, change.added);
      for (let start = 0; start < added.items.length; start += this.options.slice) {
        const end = start + this.options.slice;
        index.add(added.items.slice(start, end), added.vectors.slice(start, end));
        await pause();
      }
      entry.version = change.version;
    }
  }

  /** Added items in the order a fresh load would have them, their vectors, and their heads as entity records. */
  private async loadItems(
    knowledgeBaseId: string,
    ids: string[],
  ): Promise<{ items: KnowledgeItem[]; vectors: (Float32Array | undefined)[] }> {
    if (ids.length === 0) return { items: [], vectors: [] };
    const { items, entities } = await this.repository.loadItemsForIndex(knowledgeBaseId, ids);
    const entry = this.entries.get(knowledgeBaseId);
    entry?.index?.addEntities(entities);
    const vectors = await this.vectors.forIndex(knowledgeBaseId, items, true);
    return { items, vectors };
  }
}
