interface TrieNode {
  children: Map<string, TrieNode>;
  /** Canonical entity name ending at this node. */
  entity?: string;
}

export interface EntityMention {
  entity: string;
  start: number;
  end: number;
}

/**
 * Finds entity names and aliases in text by longest match over a character trie. Exact
 * substring matching suits Chinese, where names are not space-delimited, and a longest match
 * keeps "百雅轩798艺术中心" from also counting as "798艺术中心".
 */
export class EntityLinker {
  private readonly root: TrieNode = { children: new Map() };

  constructor(
    entities: Iterable<{ name: string; aliases?: string[] }>,
    private readonly minLength = 2,
  ) {
    for (const entity of entities) {
      for (const surface of [entity.name, ...(entity.aliases ?? [])]) {
        if (surface.length >= this.minLength) this.add(surface, entity.name);
      }
    }
  }

  private add(surface: string, entity: string): void {
    this.node(surface, true)!.entity ??= entity;
  }

  private node(surface: string, create: boolean): TrieNode | undefined {
    let node = this.root;
    for (const char of surface) {
      let next = node.children.get(char);
      if (!next) {
        if (!create) return undefined;
        next = { children: new Map() };
        node.children.set(char, next);
      }
      node = next;
    }
    return node;
  }

  /** The entity a surface names, if any. */
  get(surface: string): string | undefined {
    return this.node(surface, false)?.entity;
  }

  /** Makes `surface` name `entity` (or nothing, when undefined): incremental updates of the index. */
  set(surface: string, entity: string | undefined): void {
    if (entity !== undefined) {
      if (surface.length >= this.minLength) this.node(surface, true)!.entity = entity;
      return;
    }
    const node = this.node(surface, false);
    // An emptied branch stays: it costs a few map entries and matches nothing.
    if (node) delete node.entity;
  }

  /** Whether any surface occurs in `text` at all (not only where a longest match would put it). */
  occursIn(text: string): boolean {
    const chars = Array.from(text);
    for (let i = 0; i < chars.length; i++) {
      let node: TrieNode | undefined = this.root;
      for (let j = i; j < chars.length && node; j++) {
        node = node.children.get(chars[j]);
        if (node?.entity !== undefined) return true;
      }
    }
    return false;
  }

  /** Non-overlapping mentions, left to right, each the longest name starting at its position. */
  link(text: string): EntityMention[] {
    const chars = Array.from(text);
    const mentions: EntityMention[] = [];
    let i = 0;
    while (i < chars.length) {
      let node: TrieNode | undefined = this.root;
      let best: EntityMention | undefined;
      for (let j = i; j < chars.length && node; j++) {
        node = node.children.get(chars[j]);
        if (node?.entity) best = { entity: node.entity, start: i, end: j + 1 };
      }
      if (best) {
        mentions.push(best);
        i = best.end;
      } else {
        i++;
      }
    }
    return mentions;
  }
}
