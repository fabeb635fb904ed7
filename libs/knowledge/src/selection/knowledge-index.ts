import { type Embedder, requireSync } from '../embedding/embedder.port';
import { DESCRIPTION_RELATION, type KnowledgeEntityRecord, type KnowledgeItem } from '../knowledge.types';
import { Bm25Index } from './bm25-index';
import { bigrams } from './dialogue-state';
import { entitiesWithAliases } from './entity-aliases';
import { EntityLinker } from './entity-linker';
import { weightedBigrams } from './question-match';
import { RelationCues } from './relation-cues';
import { TextTokenizer } from './text-tokenizer';
import { valueShape } from './value-shapes';

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
 * Everything selection needs about one knowledge base, built once in memory from its rows and
 * reused for every turn: the entity linker, items by entity, relation cues, BM25 and vectors.
 */
export class KnowledgeIndex {
  readonly items: KnowledgeItem[];
  readonly linker: EntityLinker;
  readonly cues: RelationCues;
  readonly tokenizer: TextTokenizer;
  readonly bm25 = new Bm25Index();
  /**
   * Item vectors stored dimension-major (all items' value of dimension 0, then of 1, …): a query
   * touches only its non-zero dimensions, each a contiguous run over the items.
   */
  private readonly columns: Float32Array;
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
  /** Finds specific fact values (not entity names) in text; `valueItems` maps each to its facts. */
  private readonly valueLinker: EntityLinker;
  private readonly valueItems = new Map<string, KnowledgeItem[]>();
  private readonly questionEntityCache = new Map<string, string[]>();
  private readonly questionGramCache = new Map<string, Map<string, number>>();

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
    this.items = items;
    const named = entitiesWithAliases(entities, items);
    this.linker = new EntityLinker(named);
    const surfaces = new Set(named.flatMap((e) => [e.name, ...e.aliases]));
    this.tokenizer = new TextTokenizer(surfaces);
    this.cues = new RelationCues(items, this.tokenizer);

    items.forEach((item, position) => {
      this.itemPosition.set(item.id, position);
      if (item.head && item.kind !== 'qa') push(this.byEntity, item.head, item);
      if (item.kind === 'qa') {
        for (const gram of this.questionGrams(item).keys()) push(this.qaByBigram, gram, item);
        for (const mention of this.linker.link(item.question ?? '')) push(this.qaByEntity, mention.entity, item);
      }
      this.bm25.add(this.tokenizer.tokens(itemText(item)));
    });
    this.valueLinker = this.buildValueLinker(surfaces);
    for (const [entity, list] of this.byEntity) {
      this.neighbourCount.set(entity, list.filter((i) => i.tail !== undefined && this.byEntity.has(i.tail)).length);
    }
    const n = items.length;
    this.columns = new Float32Array(n * embedder.dimensions);
    items.forEach((item, position) => {
      (vectors[position] ?? requireSync(embedder).embedSync(itemText(item))).forEach((value, d) => {
        this.columns[d * n + position] = value;
      });
    });
  }

  /** Cosine similarity of every item to a unit query vector. */
  similarities(query: Float32Array): Float32Array {
    const n = this.items.length;
    const out = new Float32Array(n);
    for (let d = 0; d < query.length; d++) {
      const q = query[d];
      if (q === 0) continue;
      const column = this.columns.subarray(d * n, (d + 1) * n);
      for (let row = 0; row < n; row++) out[row] += q * column[row];
    }
    return out;
  }

  /**
   * A value is specific when few facts share it ("冰墩墩", "2900万美元"); values many facts share
   * ("美国", "演员") name a category, not a thing, so naming one says nothing about which fact.
   */
  private buildValueLinker(names: Set<string>): EntityLinker {
    for (const item of this.items) {
      if (item.kind !== 'fact' || this.isDescription(item) || !item.tail || !item.head) continue;
      const value = item.tail.trim();
      // Quantities (dates, amounts, durations) recur across unrelated facts ("2006年"); names,
      // addresses and phone numbers identify one thing.
      if (
        value.length < 2 ||
        value.length > MAX_VALUE_LENGTH ||
        names.has(value) ||
        QUANTITY_SHAPES.has(valueShape(value)!)
      )
        continue;
      push(this.valueItems, value, item);
    }
    for (const [value, list] of this.valueItems) if (list.length > MAX_VALUE_SHARERS) this.valueItems.delete(value);
    return new EntityLinker([...this.valueItems.keys()].map((name) => ({ name })));
  }

  /** Facts whose specific value `text` names. */
  valueFacts(text: string): KnowledgeItem[] {
    return this.valueLinker.link(text).flatMap((m) => this.valueItems.get(m.entity) ?? []);
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
}

const QUANTITY_SHAPES = new Set(['date', 'number', 'duration', 'clock', 'money']);
/** Longer values are sentences, not names a user would type. */
const MAX_VALUE_LENGTH = 24;
/** How many facts may share a value for it to still point at them. */
const MAX_VALUE_SHARERS = 3;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
