import { type Edge, placeNeighbours } from './entity-neighbourhood';

const SIZE = 360;
const CENTRE = SIZE / 2;

/** The entity and its one-hop neighbours as an SVG star: nodes are entities, labelled edges are relations. */
export function EntityGraph({ entity, edges, onOpen }: { entity: string; edges: Edge[]; onOpen(name: string): void }) {
  const nodes = placeNeighbours(edges, CENTRE, CENTRE, SIZE / 2 - 50);
  const at = new Map(nodes.map((n) => [n.name, n]));
  return (
    <svg
      className="entity-graph"
      data-testid="entity-graph"
      viewBox={`0 0 ${SIZE} ${SIZE}`}
      width={SIZE}
      height={SIZE}
      role="img"
      aria-label={entity}
    >
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto">
          <path d="M0,0 L10,5 L0,10 z" fill="#888" />
        </marker>
      </defs>
      {edges.map((edge, i) => {
        const node = at.get(edge.neighbour)!;
        const [from, to] = edge.outgoing ? [{ x: CENTRE, y: CENTRE }, node] : [node, { x: CENTRE, y: CENTRE }];
        return (
          <g key={i} data-edge={`${edge.relation}:${edge.neighbour}`}>
            <line x1={from.x} y1={from.y} x2={to.x} y2={to.y} stroke="#888" markerEnd="url(#arrow)" />
            <text x={(from.x + to.x) / 2} y={(from.y + to.y) / 2 - 4} className="edge-label" textAnchor="middle">
              {edge.relation}
            </text>
          </g>
        );
      })}
      <g className="node centre">
        <circle cx={CENTRE} cy={CENTRE} r={28} />
        <text x={CENTRE} y={CENTRE + 4} textAnchor="middle">
          {entity}
        </text>
      </g>
      {nodes.map((node) => (
        <g key={node.name} className="node" data-node={node.name} onClick={() => onOpen(node.name)}>
          <circle cx={node.x} cy={node.y} r={22} />
          <text x={node.x} y={node.y + 4} textAnchor="middle">
            {node.name}
          </text>
        </g>
      ))}
    </svg>
  );
}
