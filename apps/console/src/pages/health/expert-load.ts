/** Tokens routed to each expert of one MoE layer. */
export interface LayerLoad {
  layer: number;
  counts: number[];
}

const SAMPLE = /^zhibing_moe_expert_tokens\{([^}]*)\}\s+(\S+)/;

/** Per-layer expert counts from the Prometheus text of /metrics (`zhibing_moe_expert_tokens{layer,expert}`). */
export function expertLoad(metrics: string): LayerLoad[] {
  const layers = new Map<number, number[]>();
  for (const line of metrics.split('\n')) {
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...match[1].matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const layer = Number(labels.layer);
    const expert = Number(labels.expert);
    const value = Number(match[2]);
    if (!Number.isInteger(layer) || !Number.isInteger(expert) || !Number.isFinite(value)) continue;
    const counts = layers.get(layer) ?? [];
    counts[expert] = value;
    layers.set(layer, counts);
  }
  return [...layers.entries()]
    .sort(([a], [b]) => a - b)
    .map(([layer, counts]) => ({ layer, counts: Array.from(counts, (c) => c ?? 0) }));
}
