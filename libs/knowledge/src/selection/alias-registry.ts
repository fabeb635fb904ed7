import type { KnowledgeEntityRecord, KnowledgeItem } from '../knowledge.types';
import { NAME_RELATION, plainName, splitNames } from './entity-aliases';

/**
 * `entitiesWithAliases` kept up to date as items and entities come and go: every name an entity
 * can be called by (its name, stored aliases, the name without its bracketed qualifier, values of
 * its name relations), reference-counted by the facts and records that give it, so that a change
 * reports exactly the surfaces whose meaning changed. A surface names
 * - the entity of that name, when one exists;
 * - else the one entity that claims it as an alias (two claimants: nobody, a mention cannot tell).
 */
export class AliasRegistry {
  /** Entity name → how many items (with that head) and entity records make it an entity. */
  private readonly names = new Map<string, number>();
  /** Alias → claimant entity → how many sources give the claim. */
  private readonly claims = new Map<string, Map<string, number>>();
  /** Surfaces whose meaning may have changed since the last `drain()`. */
  private touched = new Set<string>();

  addEntity(entity: KnowledgeEntityRecord, delta: 1 | -1 = 1): void {
    this.addName(entity.name, delta);
    for (const alias of entity.aliases) this.claim(alias, entity.name, delta);
  }

  addItem(item: KnowledgeItem, delta: 1 | -1 = 1): void {
    if (!item.head) return;
    this.addName(item.head, delta);
    if (item.kind !== 'fact' || !item.tail || !NAME_RELATION.test(item.relation ?? '')) return;
    for (const part of splitNames(item.tail)) this.claim(part, item.head, delta);
  }

  /** The entity `surface` names, or undefined. */
  resolve(surface: string): string | undefined {
    if (surface.length < 2) return undefined;
    if (this.names.has(surface)) return surface;
    const claimants = this.claims.get(surface);
    return claimants?.size === 1 ? claimants.keys().next().value : undefined;
  }

  /** Every surface that names something now, with the entity it names. */
  *surfaces(): Generator<[string, string]> {
    const seen = new Set<string>();
    for (const surface of [...this.names.keys(), ...this.claims.keys()]) {
      if (seen.has(surface)) continue;
      seen.add(surface);
      const entity = this.resolve(surface);
      if (entity !== undefined) yield [surface, entity];
    }
  }

  /** The surfaces touched since the last call (their meaning may or may not have changed). */
  drain(): Set<string> {
    const touched = this.touched;
    this.touched = new Set();
    return touched;
  }

  private addName(name: string, delta: 1 | -1): void {
    const count = (this.names.get(name) ?? 0) + delta;
    const appeared = count === 1 && delta === 1;
    if (count > 0) this.names.set(name, count);
    else this.names.delete(name);
    // An entity's plain name (without qualifier or title marks) is its alias while it exists.
    if (appeared || count === 0) this.claim(plainName(name), name, delta);
    if (appeared || count === 0) this.touched.add(name);
  }

  private claim(alias: string, entity: string, delta: 1 | -1): void {
    let claimants = this.claims.get(alias);
    if (!claimants) this.claims.set(alias, (claimants = new Map()));
    const count = (claimants.get(entity) ?? 0) + delta;
    if (count > 0) claimants.set(entity, count);
    else claimants.delete(entity);
    if (claimants.size === 0) this.claims.delete(alias);
    this.touched.add(alias);
  }
}
