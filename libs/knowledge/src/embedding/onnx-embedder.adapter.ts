import * as fs from 'node:fs';
import * as path from 'node:path';
import { ZhibingError } from '@zhibing/protocol';
import { type Embedder, normalize } from './embedder.port';

type OrtModule = typeof import('onnxruntime-node');
type HfTokenizer = { encode(text: string, options?: { add_special_tokens?: boolean }): { ids: number[] } };

/**
 * A sentence-embedding model from a local folder (tokenizer.json + model.onnx, as in public
 * ONNX exports): tokenizes with the model's own tokenizer, runs it on onnxruntime, mean-pools
 * the token states over the attention mask (or takes `sentence_embedding` when the model pools
 * itself) and normalizes. Nothing is downloaded.
 */
export class OnnxEmbedderAdapter implements Embedder {
  private constructor(
    readonly id: string,
    readonly dimensions: number,
    private readonly ort: OrtModule,
    private readonly session: import('onnxruntime-node').InferenceSession,
    private readonly tokenizer: HfTokenizer,
    private readonly padId: number,
    private readonly maxTokens: number,
  ) {}

  /** Loads the folder; throws `embedder_invalid` naming the missing or unreadable file. */
  static async load(folder: string, options: { maxTokens?: number } = {}): Promise<OnnxEmbedderAdapter> {
    const file = (name: string) => {
      const full = path.join(folder, name);
      if (!fs.existsSync(full))
        throw new ZhibingError('embedder_invalid', `embedding model folder ${folder} has no ${name}`);
      return full;
    };
    const modelPath = file('model.onnx');
    const tokenizerJson = JSON.parse(fs.readFileSync(file('tokenizer.json'), 'utf8'));
    const config = fs.existsSync(path.join(folder, 'config.json'))
      ? JSON.parse(fs.readFileSync(path.join(folder, 'config.json'), 'utf8'))
      : {};
    const { Tokenizer } = await import('@huggingface/tokenizers');
    const tokenizer = new Tokenizer(tokenizerJson, {}) as unknown as HfTokenizer;
    const ort = await import('onnxruntime-node');
    let session: import('onnxruntime-node').InferenceSession;
    try {
      session = await ort.InferenceSession.create(modelPath);
    } catch (error) {
      throw new ZhibingError('embedder_invalid', `${modelPath} could not be loaded: ${(error as Error).message}`);
    }
    for (const input of ['input_ids', 'attention_mask']) {
      if (!session.inputNames.includes(input))
        throw new ZhibingError(
          'embedder_invalid',
          `${modelPath} has no input "${input}" (inputs: ${session.inputNames.join(', ')})`,
        );
    }
    const adapter = new OnnxEmbedderAdapter(
      `onnx:${path.basename(path.resolve(folder))}`,
      0,
      ort,
      session,
      tokenizer,
      Number(config.pad_token_id ?? 0),
      options.maxTokens ?? 256,
    );
    const [probe] = await adapter.embed(['probe']);
    (adapter as { dimensions: number }).dimensions = probe.length;
    return adapter;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const encoded = texts.map((t) => this.tokenizer.encode(t).ids.slice(0, this.maxTokens));
    const length = Math.max(1, ...encoded.map((ids) => ids.length));
    const ids = new BigInt64Array(texts.length * length).fill(BigInt(this.padId));
    const mask = new BigInt64Array(texts.length * length);
    encoded.forEach((row, b) =>
      row.forEach((id, i) => {
        ids[b * length + i] = BigInt(id);
        mask[b * length + i] = 1n;
      }),
    );
    const feeds: Record<string, import('onnxruntime-node').Tensor> = {
      input_ids: new this.ort.Tensor('int64', ids, [texts.length, length]),
      attention_mask: new this.ort.Tensor('int64', mask, [texts.length, length]),
    };
    if (this.session.inputNames.includes('token_type_ids'))
      feeds.token_type_ids = new this.ort.Tensor('int64', new BigInt64Array(ids.length), [texts.length, length]);
    const outputs = await this.session.run(feeds);
    if (outputs.sentence_embedding) {
      const data = outputs.sentence_embedding.data as Float32Array;
      const dims = data.length / texts.length;
      return texts.map((_, b) => normalize(data.slice(b * dims, (b + 1) * dims)));
    }
    const states = (outputs.last_hidden_state ?? outputs[this.session.outputNames[0]]).data as Float32Array;
    const dims = states.length / (texts.length * length);
    return texts.map((_, b) => {
      const pooled = new Float32Array(dims);
      const count = Math.max(1, encoded[b].length);
      for (let i = 0; i < encoded[b].length; i++) {
        const offset = (b * length + i) * dims;
        for (let d = 0; d < dims; d++) pooled[d] += states[offset + d] / count;
      }
      return normalize(pooled);
    });
  }
}
