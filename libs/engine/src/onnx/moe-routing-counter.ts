import type * as ort from 'onnxruntime-node';

/** Running totals of the tokens each MoE layer routed to each expert (from `router_topk.N` outputs). */
export class MoeRoutingCounter {
  private readonly counts = new Map<number, number[]>();

  constructor(private readonly experts: number) {}

  /**
   * Adds the experts chosen for each real (not padding) token of a step: a row's tokens end at the
   * window's last column (left-padded rows), or start at column 0 when `right` (right-padded rows).
   */
  add(outputs: Record<string, ort.Tensor>, batch: number, width: number, inputs: number[][], right = false): void {
    for (const name of Object.keys(outputs)) {
      const match = /^router_topk\.(\d+)$/.exec(name);
      if (!match) continue;
      const layer = Number(match[1]);
      const chosen = outputs[name].data as BigInt64Array;
      const k = chosen.length / (batch * width);
      let counts = this.counts.get(layer);
      if (!counts) this.counts.set(layer, (counts = new Array(this.experts).fill(0)));
      for (let b = 0; b < batch; b++) {
        const first = right ? 0 : width - inputs[b].length;
        for (let t = first; t < first + inputs[b].length; t++) {
          for (let j = 0; j < k; j++) counts[Number(chosen[(b * width + t) * k + j])]++;
        }
      }
    }
  }

  snapshot(): { layer: number; counts: number[] }[] {
    return [...this.counts].map(([layer, counts]) => ({ layer, counts: [...counts] }));
  }
}
