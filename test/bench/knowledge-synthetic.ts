import * as fs from 'node:fs';
import * as path from 'node:path';
import { type KdConvKb, type KnowledgeItem, kdconvItems } from '@zhibing/knowledge';
import { kdconvDir } from './kdconv-data';

/**
 * A knowledge base of `size` items for scale benchmarks: KdConv travel (≈11k items) repeated with
 * every entity renamed per copy (`故宫` → `故宫2号馆`, tails that name entities renamed alike), so
 * the copies have the shape of the real base (relations, values, descriptions) without sharing
 * names. Copy 1 keeps the original names, so the dev dialogues still link into it.
 */
export function syntheticTravelItems(size: number): KnowledgeItem[] {
  const kb = JSON.parse(fs.readFileSync(path.join(kdconvDir(), 'kb.json'), 'utf8')) as KdConvKb;
  const base = kdconvItems(kb);
  const entities = new Set(base.flatMap((item) => (item.head ? [item.head] : [])));
  const items: KnowledgeItem[] = [];
  for (let copy = 1; items.length < size; copy++) {
    const rename = (name: string | undefined) =>
      name === undefined || copy === 1 || !entities.has(name) ? name : `${name}${copy}号馆`;
    for (const item of base) {
      if (items.length >= size) break;
      const renamed: KnowledgeItem = { ...item, id: `${copy}:${item.id}`, head: rename(item.head) };
      if (item.kind === 'fact') renamed.tail = rename(item.tail);
      items.push(renamed);
    }
  }
  return items;
}
