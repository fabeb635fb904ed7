import type { KnowledgeView } from '../../components/knowledge-text';

/** One relation between the entity and a neighbour: `outgoing` when the entity is the fact's head. */
export interface Edge {
  relation: string;
  neighbour: string;
  outgoing: boolean;
}

/** A node placed on the graph: the entity in the middle, its neighbours on a circle around it. */
export interface PlacedNode {
  name: string;
  x: number;
  y: number;
}

/**
 * The entity's one-hop neighbourhood from its facts: facts with the entity as head point out,
 * facts with it as tail point in. A neighbour reached twice by the same relation counts once.
 */
export function entityEdges(entity: string, facts: KnowledgeView[]): Edge[] {
  const seen = new Set<string>();
  const edges: Edge[] = [];
  for (const fact of facts) {
    if (fact.kind !== 'fact' || !fact.relation || !fact.head || !fact.tail) continue;
    const outgoing = fact.head === entity;
    if (!outgoing && fact.tail !== entity) continue;
    const neighbour = outgoing ? fact.tail : fact.head;
    const key = `${outgoing ? '>' : '<'}${fact.relation}\u0000${neighbour}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push({ relation: fact.relation, neighbour, outgoing });
  }
  return edges;
}

/** Neighbours evenly around a circle of `radius` about (cx, cy), in first-seen order. */
export function placeNeighbours(edges: Edge[], cx: number, cy: number, radius: number): PlacedNode[] {
  const names = [...new Set(edges.map((e) => e.neighbour))];
  return names.map((name, i) => {
    const angle = (2 * Math.PI * i) / names.length - Math.PI / 2;
    return { name, x: cx + radius * Math.cos(angle), y: cy + radius * Math.sin(angle) };
  });
}
