import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  blankInfillingLayout,
  glmConfigSchema,
  type GlmConfig,
  glmPosition2d,
  inContext,
  twoDimensionalPositions,
} from '@zhibing/kernels';
import type * as ort from 'onnxruntime-node';
import { EngineError, ModelFolderError } from '../engine.errors';
import { DecoderIo } from './decoder-io';
import { layoutOf, type ModelDtype, modelFileOf } from './model-folder';

export interface IdGenerationOptions {
  modelDir: string;
  /** The prompt as token ids, fed as they are (no tokenizer, no template). */
  ids: number[];
  maxTokens: number;
  device?: 'cpu' | 'cuda';
  /** The graph file (relative to modelDir or absolute); default: the one the engine would load. */
  modelFile?: string;
  /** For an Optimum / onnx-community export: which dtype's graph (default: fp32, else fp16, else q4…). */
  modelDtype?: ModelDtype;
}

export interface IdGeneration {
  /** The greedy continuation (stops early only at maxTokens: ids-only checks compare whole runs). */
  ids: number[];
  /** Full-vocabulary logits of the last prompt position, before any processing. */
  logits: number[];
}

/** The mask and `<sop>` ids of the folder's tokenizer.json (none without one: the ids are then plain text). */
function blankTokens(modelDir: string): { masks: number[]; sop: number | undefined } {
  const file = path.join(modelDir, 'tokenizer.json');
  const added: { id: number; content: string }[] = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')).added_tokens ?? [])
    : [];
  const id = (content: string) => added.find((t) => t.content === content)?.id;
  const masks = ['[MASK]', '[sMASK]', '[gMASK]'].map(id).filter((m): m is number => m !== undefined);
  return { masks, sop: id('<sop>') };
}

const argmax = (row: Float32Array) => row.reduce((best, v, i) => (v > row[best] ? i : best), 0);

/**
 * Greedy generation from token ids on a model folder, with the KV cache, one sequence: what a
 * check against a reference implementation (transformers, the numpy reference) needs, and what
 * a folder built from a checkpoint without tokenizer files can do. Needs only config.json and the
 * graph, chosen as the engine chooses it (our model.onnx, or an Optimum export's onnx/model*.onnx
 * by `modelDtype` / `modelFile`); float16 caches and logits and exports without position_ids work.
 */
export async function generateFromIds(options: IdGenerationOptions): Promise<IdGeneration> {
  const configFile = path.join(options.modelDir, 'config.json');
  if (!fs.existsSync(configFile)) throw new ModelFolderError(configFile, 'missing');
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  } catch (error) {
    throw new ModelFolderError(configFile, `not valid JSON (${(error as Error).message})`);
  }
  const folderLayout = layoutOf(raw);
  // transformers.js's export settings (kv_cache_dtype, external data): about files, not the math.
  delete raw['transformers.js_config'];
  const parsed = glmConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
    throw new ModelFolderError(configFile, problems.join('; '));
  }
  const config: GlmConfig = parsed.data;
  const bad = options.ids.find((id) => !Number.isInteger(id) || id < 0 || id >= config.vocab_size);
  if (options.ids.length === 0 || bad !== undefined) {
    const got = bad !== undefined ? `; got ${bad}` : '';
    throw new EngineError('prompt_invalid', `prompt ids must be whole numbers in [0, ${config.vocab_size})${got}`);
  }
  if (options.ids.length + options.maxTokens > config.max_position_embeddings) {
    const context = config.max_position_embeddings;
    const asked = `${options.ids.length} + ${options.maxTokens} tokens`;
    throw new EngineError('prompt_too_large', `${asked} exceed the model's context of ${context}`);
  }
  const modelPath = modelFileOf(options.modelDir, folderLayout, { file: options.modelFile, dtype: options.modelDtype });
  if (!fs.existsSync(modelPath)) throw new ModelFolderError(modelPath, 'missing');
  const ortModule = await import('onnxruntime-node');
  const session = await ortModule.InferenceSession.create(modelPath, {
    executionProviders: options.device === 'cuda' ? ['cuda', 'cpu'] : ['cpu'],
  });
  const io = DecoderIo.fromSession(session, modelPath);
  const twoD = twoDimensionalPositions(config);
  const layout = twoD ? blankInfillingLayout(options.ids, blankTokens(options.modelDir)) : null;
  try {
    const feeds = (ids: number[], past: Record<string, ort.Tensor> | null, pastLength: number) => {
      const total = pastLength + ids.length;
      const int64 = (values: number[], dims: number[]) =>
        new ortModule.Tensor('int64', BigInt64Array.from(values.map(BigInt)), dims);
      const out: Record<string, ort.Tensor> = {
        input_ids: int64(ids, [1, ids.length]),
        attention_mask: new ortModule.Tensor('int64', new BigInt64Array(total).fill(1n), [1, total]),
      };
      if (io.positionIds) {
        out.position_ids = int64(
          ids.map((_, i) => pastLength + i),
          [1, ids.length],
        );
      }
      if (twoD) {
        // GLM blank infilling: 2-D positions and the context (Part A) seen bidirectionally.
        const positions = ids.map((_, i) => glmPosition2d(layout, pastLength + i));
        out.position_ids = int64([...positions.map((p) => p[0]), ...positions.map((p) => p[1])], [1, 2, ids.length]);
        out.prefix_mask = int64(
          Array.from({ length: total }, (_, t) => (inContext(layout, t) ? 1 : 0)),
          [1, total],
        );
      }
      for (let i = 0; i < config.num_hidden_layers; i++) {
        for (const kind of ['key', 'value']) {
          const emptyDims = [1, config.num_key_value_heads, 0, config.head_dim];
          const empty = io.pastTensor(ortModule, io.halfKv ? new Uint16Array(0) : new Float32Array(0), emptyDims);
          out[`past_key_values.${i}.${kind}`] = past?.[`present.${i}.${kind}`] ?? empty;
        }
      }
      return out;
    };
    // Ours give the last position's logits, exports every position's (float16 in fp16 exports).
    const lastRow = (outputs: Record<string, ort.Tensor>) => io.lastLogits(outputs.logits, 1, config.vocab_size)[0];
    let outputs = (await session.run(feeds(options.ids, null, 0))) as Record<string, ort.Tensor>;
    const first = Array.from(lastRow(outputs));
    const ids: number[] = [];
    for (let length = options.ids.length; ids.length < options.maxTokens; length++) {
      ids.push(argmax(lastRow(outputs)));
      if (ids.length === options.maxTokens) break;
      outputs = (await session.run(feeds([ids[ids.length - 1]], outputs, length))) as Record<string, ort.Tensor>;
    }
    return { ids, logits: first };
  } finally {
    await session.release();
  }
}
