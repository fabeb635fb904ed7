import * as fs from 'node:fs';
import * as path from 'node:path';
import { OnnxGraph } from '../onnx/onnx-graph';
import { seededRandom, seededWeights } from '../testing/seeded-random';
import { byteLevelTokenizerJson } from '../tokenizer/byte-level-tokenizer';

export interface TinySentenceEncoderOptions {
  out: string;
  seed: number;
  dims?: number;
}

/**
 * Writes a small seeded sentence-embedding model folder in the layout of public ONNX exports
 * (tokenizer.json + model.onnx with `input_ids`, `attention_mask` → `last_hidden_state`):
 * token embedding → linear → tanh. It means nothing; it lets tests run the real loading,
 * tokenizing, pooling and onnxruntime code of the embedder without a download.
 */
export function buildTinySentenceEncoder(options: TinySentenceEncoderOptions): void {
  const dims = options.dims ?? 32;
  const tokenizer = byteLevelTokenizerJson(['<pad>', '<s>', '</s>']);
  const vocab = 256 + 3;
  const random = seededRandom(options.seed);
  const g = new OnnxGraph('tiny-sentence-encoder');
  const ids = g.input('input_ids', 'int64', ['batch', 'sequence']);
  g.input('attention_mask', 'int64', ['batch', 'sequence']);
  const table = g.weight('embeddings', seededWeights(random, vocab * dims, 1), [vocab, dims]);
  const projection = g.weight('projection', seededWeights(random, dims * dims, 1 / Math.sqrt(dims)), [dims, dims]);
  const tokens = g.op1('Gather', [table, ids], { axis: 0 });
  const mixed = g.op1('MatMul', [tokens, projection]);
  g.op1('Tanh', [mixed], undefined, 'last_hidden_state');
  g.output('last_hidden_state', 'float32', ['batch', 'sequence', dims]);
  fs.mkdirSync(options.out, { recursive: true });
  fs.writeFileSync(path.join(options.out, 'model.onnx'), g.toBytes());
  fs.writeFileSync(path.join(options.out, 'tokenizer.json'), JSON.stringify(tokenizer));
  fs.writeFileSync(
    path.join(options.out, 'config.json'),
    JSON.stringify({ model_type: 'tiny-sentence-encoder', hidden_size: dims, pad_token_id: 256 }),
  );
}
