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
    let node = this.root;
    for (const char of surface) {
      let next = node.children.get(char);
      if (!next) {
        next = { children: new Map() };
        node.children.set(char, next);
      }
      node = next;
    }
    node.entity ??= entity;
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
