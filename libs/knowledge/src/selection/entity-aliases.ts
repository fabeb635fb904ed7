import type { KnowledgeEntityRecord, KnowledgeItem } from '../knowledge.types';

/** A relation whose values are other names of its head: 中文名, 别名, 原名, 外文名称, 其它译名 … */
export const NAME_RELATION = /(名|名称)$/;
/** What separates several names in one value ("夺魂锯 / 恐惧斗室", "发哥、小马哥"). */
const NAME_SEPARATORS = /[/、，,；;|《》\s]+/;
/** A trailing qualifier in brackets: "恋恋笔记本（美国2004年…爱情片）", "安琪儿童乐园（大兴店）". */
const QUALIFIER = /^(.+?)\s*[（(][^（()）]*[)）]\s*$/;

/** The names in a value that may list several ("夺魂锯 / 恐惧斗室", "特瑞·乔治、凯尔·皮尔森"). */
export function splitNames(value: string): string[] {
  return value
    .split(NAME_SEPARATORS)
    .map((part) => plainName(part))
    .filter((part) => part.length > 0);
}

/** The name as people write it: without a bracketed qualifier and without 《》 title marks. */
export function plainName(name: string): string {
  let plain = name.trim();
  const qualified = QUALIFIER.exec(plain);
  if (qualified) plain = qualified[1].trim();
  return plain.replace(/^《(.+)》$/, '$1').trim();
}

/**
 * The entities of a knowledge base with every name they can be called by in a dialogue: their
 * stored aliases, the name without its bracketed qualifier, and the values of name relations.
 * Names that would point at two entities (two branches of one chain, "安琪儿童乐园（大兴店）" and
 * "（密云店）") are dropped: a mention of one cannot tell which is meant. Knowledge-base
 * structure only: nothing here depends on the domain.
 */
export function entitiesWithAliases(
  entities: Iterable<KnowledgeEntityRecord>,
  items: KnowledgeItem[],
): KnowledgeEntityRecord[] {
  const records = new Map<string, Set<string>>();
  for (const entity of entities) records.set(entity.name, new Set(entity.aliases));
  for (const item of items) if (item.head && !records.has(item.head)) records.set(item.head, new Set());
  for (const item of items) {
    if (item.kind !== 'fact' || !item.head || !item.tail || !NAME_RELATION.test(item.relation ?? '')) continue;
    for (const part of splitNames(item.tail)) records.get(item.head)!.add(part);
  }
  const owners = new Map<string, Set<string>>();
  for (const [name, aliases] of records) {
    aliases.add(plainName(name));
    for (const alias of aliases) {
      if (!owners.has(alias)) owners.set(alias, new Set());
      owners.get(alias)!.add(name);
    }
  }
  return [...records].map(([name, aliases]) => ({
    name,
    aliases: [...aliases].filter(
      (alias) => alias !== name && alias.length >= 2 && owners.get(alias)!.size === 1 && !records.has(alias),
    ),
  }));
}
