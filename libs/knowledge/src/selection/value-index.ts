import type { KnowledgeItem } from '../knowledge.types';
import { EntityLinker } from './entity-linker';
import { valueShape } from './value-shapes';

const QUANTITY_SHAPES = new Set(['date', 'number', 'duration', 'clock', 'money']);
/** Longer values are sentences, not names a user would type. */
const MAX_VALUE_LENGTH = 24;
/** How many facts may share a value for it to still point at them. */
const MAX_VALUE_SHARERS = 3;

/**
 * Finds specific fact values (not entity names) in text, each mapped to its facts. A value is
 * specific when few facts share it ("冰墩墩", "2900万美元"); values many facts share ("美国", "演员")
 * name a category, not a thing, so naming one says nothing about which fact. Kept up to date as
 * facts come and go and as names of the base appear or disappear.
 */
export class ValueIndex {
  /** Value → the facts (position order) that have it, whether or not it is specific now. */
  private readonly facts = new Map<string, KnowledgeItem[]>();
  private readonly linker = new EntityLinker([]);

  /** `isName`: whether a surface names an entity of the base (a name is not a value). */
  constructor(private readonly isName: (surface: string) => boolean) {}

  /** The value a fact can be found by, if its shape allows it; quantities recur across unrelated facts. */
  static valueOf(item: KnowledgeItem, isDescription: boolean): string | undefined {
    if (item.kind !== 'fact' || isDescription || !item.tail || !item.head) return undefined;
    const value = item.tail.trim();
    if (value.length < 2 || value.length > MAX_VALUE_LENGTH || QUANTITY_SHAPES.has(valueShape(value)!))
      return undefined;
    return value;
  }

  /** Adds a fact at the highest position so far, or removes one. */
  update(value: string, item: KnowledgeItem, present: boolean, position: (item: KnowledgeItem) => number): void {
    let list = this.facts.get(value);
    if (present) {
      if (!list) this.facts.set(value, (list = []));
      insertByPosition(list, item, position);
    } else if (list) {
      const at = list.indexOf(item);
      if (at >= 0) list.splice(at, 1);
      if (list.length === 0) this.facts.delete(value);
    }
    this.recheck(value);
  }

  /** Re-decides whether `value` is specific (its facts, or whether it is a name, changed). */
  recheck(value: string): void {
    const list = this.facts.get(value);
    const specific = list !== undefined && list.length <= MAX_VALUE_SHARERS && !this.isName(value);
    this.linker.set(value, specific ? value : undefined);
  }

  /** Facts whose specific value `text` names. */
  find(text: string): KnowledgeItem[] {
    return this.linker.link(text).flatMap((m) => this.facts.get(m.entity) ?? []);
  }
}

/** Inserts into a list kept in position order (an append for a new item). */
export function insertByPosition<T>(list: T[], item: T, position: (item: T) => number): void {
  const p = position(item);
  let at = list.length;
  while (at > 0 && position(list[at - 1]) > p) at--;
  list.splice(at, 0, item);
}
