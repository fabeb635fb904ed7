import { type Embedder, requireSync } from '../embedding/embedder.port';
import { DESCRIPTION_RELATION, type KnowledgeEntityRecord, type KnowledgeItem } from '../knowledge.types';
import { AliasRegistry } from './alias-registry';
import { Bm25Index } from './bm25-index';
import { bigrams } from './dialogue-state';
import { EntityLinker } from './entity-linker';
import { weightedBigrams } from './question-match';
import { RelationCues } from './relation-cues';
import { TextTokenizer } from './text-tokenizer';
import { ValueIndex, insertByPosition } from './value-index';
import { VectorPostings } from './vector-postings';

/** The text a knowledge item is searched by. */
export function itemText(item: KnowledgeItem): string {
  switch (item.kind) {
    case 'qa':
      return `${item.question ?? ''} ${item.answer ?? ''}`;
    case 'description':
      return `${item.head ?? ''} ${item.text ?? item.tail ?? ''}`;
    default:
      return `${item.head ?? ''} ${item.relation ?? ''} ${item.tail ?? ''}`;
  }
}

/**
 * Everything selection needs about one knowledge base, in memory: the entity linker, items by
 * entity, relation cues, BM25 and vectors. Built once, then kept up to date item by item
 * (`add`, `remove`): a change costs time in proportion to what it touches, and the result equals
 * an index built from scratch over the same items (positions differ, their order does not).
 *
 * Positions: an item keeps the position it was added at; a removed item leaves a hole that no
 * structure reaches any more (`items[p]` still holds it, `itemPosition` does not).
 */
export class KnowledgeIndex {
  readonly items: KnowledgeItem[] = [];
  readonly linker = new EntityLinker([]);
  readonly cues: RelationCues;
  readonly tokenizer = new TextTokenizer();
  readonly bm25 = new Bm25Index();
  private readonly vectors: VectorPostings;
  private readonly aliases = new AliasRegistry();
  private readonly values: ValueIndex;
  private readonly texts: (string | undefined)[] = [];
  private readonly bigramCache = new Map<string, Set<string>>();
  /** Facts and descriptions whose head is the entity. */
  readonly byEntity = new Map<string, KnowledgeItem[]>();
  /** QA items whose question mentions the entity. */
  readonly qaByEntity = new Map<string, KnowledgeItem[]>();
  /** QA items by the character bigrams of their question: which stored questions share wording. */
  private readonly qaByBigram = new Map<string, KnowledgeItem[]>();
  readonly itemPosition = new Map<string, number>();
  /** Entity → how many neighbour facts (tails that are entities themselves) it has. */
  readonly neighbourCount = new Map<string, number>();
  /** Tail → facts and descriptions with that tail (whose neighbour count depends on it being an entity). */
  private readonly byTail = new Map<string, KnowledgeItem[]>();
  private readonly questionEntityCache = new Map<string, string[]>();
  private readonly questionGramCache = new Map<string, Map<string, number>>();
  /** Names of the entity records (the entities table), which outlive their items as in Postgres. */
  private readonly entityRecords = new Set<string>();

  /**
   * `vectors[i]` is item i's stored vector of `embedder`; items without one are embedded here,
   * which only the synchronous (hashing) embedder can do.
   */
  constructor(
    items: KnowledgeItem[],
    entities: KnowledgeEntityRecord[],
    readonly embedder: Embedder,
    vectors: (Float32Array | undefined)[] = [],
  ) {
    this.vectors = new VectorPostings(embedder.dimensions);
    this.values = new ValueIndex((surface) => this.linker.get(surface) !== undefined);
    this.cues = new RelationCues([], this.tokenizer);
    this.addEntities(entities);
    this.add(items, vectors);
  }

  /** Live items (positions minus holes). */
  get size(): number {
    return this.itemPosition.size;
  }

  /** Whether an item is in the index. */
  has(id: string): boolean {
    return this.itemPosition.has(id);
  }

  /** Entity records (name, aliases) the base holds besides its items' heads. */
  addEntities(entities: KnowledgeEntityRecord[]): void {
    for (const entity of entities) {
      if (this.entityRecords.has(entity.name)) continue;
      this.entityRecords.add(entity.name);
      this.aliases.addEntity(entity);
    }
    this.settleNames(this.items.length);
  }

  /**
   * Builds an index in slices, pausing between them (`setImmediate` by default), so that building
   * a large base never holds the event loop for long: every name is registered first, then the
   * items are cut and placed once (no re-cutting, as adding slice after slice would need).
   */
  static async build(
    items: KnowledgeItem[],
    entities: KnowledgeEntityRecord[],
    embedder: Embedder,
    vectors: (Float32Array | undefined)[] = [],
    options: { slice?: number; pause?: () => Promise<void> } = {},
  ): Promise<KnowledgeIndex> {
    const slice = options.slice ?? 1000;
    const pause = options.pause ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
    const index = new KnowledgeIndex([], entities, embedder);
    const registered: KnowledgeItem[] = [];
    for (let start = 0; start < items.length; start += slice) {
      registered.push(...index.register(items.slice(start, start + slice), vectors.slice(start, start + slice)));
      await pause();
    }
    index.settleNames(0);
    for (let start = 0; start < registered.length; start += slice) {
      for (const item of registered.slice(start, start + slice)) index.place(item);
      await pause();
    }
    index.cues.refresh();
    return index;
  }

  /**
   * Adds items (new ones: each takes the next position). `vectors[i]` is items[i]'s stored vector;
   * missing ones are embedded here, which only a synchronous embedder can do. Items already in the
   * index are skipped.
   */
  add(items: KnowledgeItem[], vectors: (Float32Array | undefined)[] = []): void {
    const firstNew = this.items.length;
    const added = this.register(items, vectors);
    // Names first: how the new items are cut and linked depends on every name of the base.
    this.settleNames(firstNew);
    for (const item of added) this.place(item);
    this.cues.refresh();
  }

  /** Gives new items their positions, vectors, names and relation counts; returns those added. */
  private register(items: KnowledgeItem[], vectors: (Float32Array | undefined)[]): KnowledgeItem[] {
    const added: KnowledgeItem[] = [];
    items.forEach((item, i) => {
      if (this.itemPosition.has(item.id)) return;
      const position = this.items.length;
      this.items.push(item);
      this.itemPosition.set(item.id, position);
      this.texts[position] = itemText(item);
      this.vectors.add(position, vectors[i] ?? requireSync(this.embedder).embedSync(this.texts[position]!));
      this.aliases.addItem(item);
      this.cues.add(item);
      added.push(item);
    });
    return added;
  }

  /** Removes items by id (unknown ids are ignored); their positions become holes. */
  remove(ids: Iterable<string>): void {
    for (const id of ids) {
      const position = this.itemPosition.get(id);
      if (position === undefined) continue;
      const item = this.items[position];
      this.unplace(item);
      this.itemPosition.delete(id);
      this.texts[position] = undefined;
      this.bm25.remove(position);
      this.vectors.remove(position);
      this.aliases.addItem(item, -1);
      this.cues.add(item, -1);
      this.questionEntityCache.delete(id);
      this.questionGramCache.delete(id);
      this.bigramCache.delete(id);
    }
    this.settleNames(this.items.length);
    this.cues.refresh();
  }

  /** Cosine similarity of every position (holes: 0) to a unit query vector. */
  similarities(query: Float32Array): Float32Array {
    return this.vectors.similarities(query);
  }

  /** The `limit` items most similar to a unit query vector, above `threshold`: [position, cosine], best first. */
  nearest(query: Float32Array, threshold: number, limit: number): [number, number][] {
    return this.vectors.nearest(query, threshold, limit);
  }

  /** Facts whose specific value `text` names. */
  valueFacts(text: string): KnowledgeItem[] {
    return this.values.find(text);
  }

  /** Entities a QA item's question names. */
  questionEntities(item: KnowledgeItem): string[] {
    let entities = this.questionEntityCache.get(item.id);
    if (!entities) {
      entities = [...new Set(this.linker.link(item.question ?? '').map((m) => m.entity))];
      this.questionEntityCache.set(item.id, entities);
    }
    return entities;
  }

  /** QA items whose question shares at least one character bigram with `text`. */
  questionsSharingWording(text: string): Set<KnowledgeItem> {
    const found = new Set<KnowledgeItem>();
    for (const gram of weightedBigrams(text).keys())
      for (const item of this.qaByBigram.get(gram) ?? []) found.add(item);
    return found;
  }

  /** Weighted character bigrams of a QA item's question, computed once. */
  questionGrams(item: KnowledgeItem): Map<string, number> {
    let grams = this.questionGramCache.get(item.id);
    if (!grams) this.questionGramCache.set(item.id, (grams = weightedBigrams(item.question ?? '')));
    return grams;
  }

  /** Character bigrams of a description, computed once. */
  descriptionBigrams(item: KnowledgeItem): Set<string> {
    let grams = this.bigramCache.get(item.id);
    if (!grams) this.bigramCache.set(item.id, (grams = bigrams(item.text ?? item.tail ?? '')));
    return grams;
  }

  isDescription(item: KnowledgeItem): boolean {
    return item.kind === 'description' || item.relation === DESCRIPTION_RELATION;
  }

  private readonly position = (item: KnowledgeItem) => this.itemPosition.get(item.id)!;

  /** Puts a new item into the lookups that depend on the base's names (after `settleNames`). */
  private place(item: KnowledgeItem): void {
    const position = this.position(item);
    this.bm25.add(position, this.tokenizer.tokens(this.texts[position]!));
    if (item.kind === 'qa') {
      for (const gram of this.questionGrams(item).keys()) push(this.qaByBigram, gram, item);
      for (const entity of this.questionEntities(item)) push(this.qaByEntity, entity, item);
      return;
    }
    const value = ValueIndex.valueOf(item, this.isDescription(item));
    if (value !== undefined) this.values.update(value, item, true, this.position);
    if (!item.head) return;
    const head = item.head;
    const becameEntity = !this.byEntity.has(head);
    push(this.byEntity, head, item);
    // Facts elsewhere that point at this head now point at an entity: they are neighbour facts.
    if (becameEntity) for (const other of this.byTail.get(head) ?? []) count(this.neighbourCount, other.head!, 1);
    if (item.tail !== undefined) {
      push(this.byTail, item.tail, item);
      if (this.byEntity.has(item.tail)) count(this.neighbourCount, head, 1);
    }
  }

  private unplace(item: KnowledgeItem): void {
    if (item.kind === 'qa') {
      for (const gram of this.questionGrams(item).keys()) pull(this.qaByBigram, gram, item);
      for (const entity of this.questionEntities(item)) pull(this.qaByEntity, entity, item);
      return;
    }
    const value = ValueIndex.valueOf(item, this.isDescription(item));
    if (value !== undefined) this.values.update(value, item, false, this.position);
    if (!item.head) return;
    const head = item.head;
    if (item.tail !== undefined) {
      pull(this.byTail, item.tail, item);
      if (this.byEntity.has(item.tail)) count(this.neighbourCount, head, -1);
    }
    pull(this.byEntity, head, item);
    if (!this.byEntity.has(head))
      for (const other of this.byTail.get(head) ?? []) count(this.neighbourCount, other.head!, -1);
  }

  /**
   * Brings the linker, the tokenizer's names and the value index up to date with the alias
   * registry, then re-cuts and re-links the items before `firstNew` whose text holds a name that
   * changed: only those can be cut or linked differently.
   */
  private settleNames(firstNew: number): void {
    const changed: string[] = [];
    for (const surface of this.aliases.drain()) {
      const entity = this.aliases.resolve(surface);
      const before = this.linker.get(surface);
      if (entity === before) continue;
      this.linker.set(surface, entity);
      if ((entity === undefined) !== (before === undefined)) this.tokenizer.setWord(surface, entity !== undefined);
      this.values.recheck(surface);
      changed.push(surface);
    }
    if (changed.length === 0 || firstNew === 0) return;
    const occursIn = containsAny(changed);
    for (let position = 0; position < firstNew; position++) {
      const text = this.texts[position];
      if (text === undefined || !occursIn(text)) continue;
      const item = this.items[position];
      this.bm25.add(position, this.tokenizer.tokens(text));
      if (item.kind === 'qa' && occursIn(item.question ?? '')) {
        for (const entity of this.questionEntities(item)) pull(this.qaByEntity, entity, item);
        this.questionEntityCache.delete(item.id);
        for (const entity of this.questionEntities(item)) {
          if (!this.qaByEntity.has(entity)) this.qaByEntity.set(entity, []);
          insertByPosition(this.qaByEntity.get(entity)!, item, this.position);
        }
      }
    }
  }
}

/**
 * A test for whether a text holds any of `surfaces`: the native substring search for a few (one
 * new entity's names), a trie walk for many (a bulk import).
 */
function containsAny(surfaces: string[]): (text: string) => boolean {
  if (surfaces.length <= 16) return (text) => surfaces.some((surface) => text.includes(surface));
  const trie = new EntityLinker(
    surfaces.map((name) => ({ name })),
    1,
  );
  return (text) => trie.occursIn(text);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function pull<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (!list) return;
  const at = list.lastIndexOf(value);
  if (at >= 0) list.splice(at, 1);
  if (list.length === 0) map.delete(key);
}

function count<K>(map: Map<K, number>, key: K, delta: number): void {
  const value = (map.get(key) ?? 0) + delta;
  if (value === 0) map.delete(key);
  else map.set(key, value);
}
