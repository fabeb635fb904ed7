import type * as ort from 'onnxruntime-node';

/** The past keys and values of one sequence, owned by its generation and disposed explicitly. */
export class KvCache {
  private tensors: Record<string, ort.Tensor> | null;
  length: number;

  constructor(private readonly ortModule: typeof ort, private readonly layers: number, private readonly kvHeads: number, private readonly headDim: number) {
    this.tensors = null;
    this.length = 0;
  }

  /** Feeds for `past_key_values.*`: empty before the first step. */
  feeds(): Record<string, ort.Tensor> {
    const out: Record<string, ort.Tensor> = {};
    for (let i = 0; i < this.layers; i++) {
      for (const kind of ['key', 'value']) {
        out[`past_key_values.${i}.${kind}`] = this.tensors?.[`present.${i}.${kind}`] ?? new this.ortModule.Tensor('float32', new Float32Array(0), [1, this.kvHeads, 0, this.headDim]);
      }
    }
    return out;
  }

  /** Takes the step's `present.*` outputs as the new past, releasing the old one. */
  update(outputs: Record<string, ort.Tensor>, length: number): void {
    const next: Record<string, ort.Tensor> = {};
    for (let i = 0; i < this.layers; i++) for (const kind of ['key', 'value']) next[`present.${i}.${kind}`] = outputs[`present.${i}.${kind}`];
    this.releaseTensors();
    this.tensors = next;
    this.length = length;
  }

  get disposed(): boolean {
    return this.tensors === null && this.length < 0;
  }

  dispose(): void {
    this.releaseTensors();
    this.length = -1;
  }

  private releaseTensors(): void {
    for (const tensor of Object.values(this.tensors ?? {})) (tensor as { dispose?: () => void }).dispose?.();
    this.tensors = null;
  }
}
