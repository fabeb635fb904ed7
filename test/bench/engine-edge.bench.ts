import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  buildGlmNaiveGraph,
  type GlmConfig,
  glmWeightShapes,
  parseGlmConfig,
  seededRandom,
  seededWeights,
  type WeightTensor,
} from '@zhibing/kernels';
import { bareDecodeMs } from './bare-decode-loop';
import { rewriteAsRandomQ4 } from './random-q4-rewrite';
import type { Bench } from './benches';
import { percentile } from './stats';

/**
 * GLM-Edge-1.5B-chat's shape, from a public copy of its config.json (model_type glm, hidden 2048,
 * 28 layers, 16 heads / 4 KV heads of 128, MLP 6144, vocab 59264, tied embeddings, no q/k/v bias).
 */
const GLM_EDGE_1_5B = {
  model_type: 'glm',
  vocab_size: 59264,
  hidden_size: 2048,
  num_hidden_layers: 28,
  num_attention_heads: 16,
  num_key_value_heads: 4,
  head_dim: 128,
  intermediate_size: 6144,
  max_position_embeddings: 8192,
  partial_rotary_factor: 0.5,
  rope_theta: 10000,
  rms_norm_eps: 1e-5,
  attention_bias: false,
  tie_word_embeddings: true,
  eos_token_id: [59246, 59253, 59255],
  pad_token_id: 59246,
};
const PROMPT_TOKENS = 16;
const STEPS = 8;
const THREADS = 2;

/**
 * Random weights, made when the graph writer asks for each tensor (never all in memory): a 1M-value
 * seeded block tiled, scaled by fan-in. Speed is what is measured, not text.
 */
function lazyRandomWeights(config: GlmConfig) {
  const shapes = glmWeightShapes(config);
  const block = seededWeights(seededRandom(7), 1 << 20, 1);
  return {
    has: (name: string) => shapes.has(name),
    get: (name: string): WeightTensor | undefined => {
      const dims = shapes.get(name);
      if (!dims) return undefined;
      const count = dims.reduce((a, b) => a * b, 1);
      const data = new Float32Array(count);
      const norm = name.endsWith('norm.weight');
      const scale = norm ? 0 : dims.length === 1 ? 0.1 : 1 / Math.sqrt(dims[dims.length - 1]);
      for (let i = 0; i < count; i += block.length) data.set(block.subarray(0, Math.min(block.length, count - i)), i);
      for (let i = 0; i < count; i++) data[i] = norm ? 1 : data[i] * scale;
      return { data, dims };
    },
  };
}

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(0);

/** Greedy decode tokens/s of a graph file with a bare session loop (median of 3 × STEPS steps). */
async function decodeRate(file: string, config: GlmConfig): Promise<number> {
  const started = performance.now();
  const session = await ort.InferenceSession.create(file, { executionProviders: ['cpu'], intraOpNumThreads: THREADS });
  console.log(`${path.basename(file)}: session in ${seconds(started)} s`);
  const promptIds = Array.from({ length: PROMPT_TOKENS }, (_, i) => 100 + i);
  try {
    await bareDecodeMs(session, config, promptIds, 2); // warm-up
    const perToken: number[] = [];
    for (let round = 0; round < 3; round++)
      perToken.push((await bareDecodeMs(session, config, promptIds, STEPS)) / STEPS);
    return 1000 / percentile(perToken, 50);
  } finally {
    await session.release();
  }
}

/**
 * Memory bandwidth on one thread, best of five passes over 256 MB: `copy` is bytes copied per
 * second (Buffer.copy: each byte read once and written once), `read` bytes compared per second
 * (Buffer.compare of two equal buffers reads both to the end and writes nothing), closer to
 * what a decode step does with its weights.
 */
function bandwidths(): { copy: number; read: number } {
  const size = 256 * 1024 * 1024;
  const from = Buffer.alloc(size, 1);
  const to = Buffer.alloc(size, 1);
  const best = (pass: () => unknown) => {
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      pass();
      times.push(performance.now() - started);
    }
    return Math.min(...times) / 1000;
  };
  const copy = size / best(() => from.copy(to));
  const read = (2 * size) / best(() => Buffer.compare(from, to));
  return { copy, read };
}

/**
 * A GLM-Edge-1.5B-shaped model with random weights stored as float16 (3 GB in os.tmpdir(),
 * deleted after): greedy decode tokens/s with a bare session loop on 2 threads, the bytes of
 * weights read per token (onnxruntime folds the float16→float32 casts at load, so the MatMuls read
 * float32), measured copy and read bandwidths, and the decode rate as a share of the limit they
 * set; then the same graph with its projections as 4-bit MatMulNBits (random codes), the same way.
 * Opt-in: `npm run bench engine-edge` (2–3 minutes, ~8 GB of memory at peak).
 */
export const engineEdgeBench: Bench = {
  name: 'engine-edge',
  optIn: true,
  async run() {
    const config = parseGlmConfig(
      { ...GLM_EDGE_1_5B, zhibing: { graph: 'naive', dtype: 'fp16' } },
      'GLM-Edge-1.5B shape',
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-bench-edge-'));
    try {
      let started = performance.now();
      const graph = buildGlmNaiveGraph(config, lazyRandomWeights(config));
      graph.writeWithExternalData(path.join(dir, 'model.onnx'), path.join(dir, 'model.onnx.data'));
      const fileBytes = fs.statSync(path.join(dir, 'model.onnx.data')).size;
      console.log(`built in ${seconds(started)} s: ${(fileBytes / 2 ** 30).toFixed(2)} GiB of float16 weights`);

      const context = PROMPT_TOKENS + STEPS;
      const kvBytes = 2 * config.num_hidden_layers * config.num_key_value_heads * config.head_dim * context * 4;
      // onnxruntime folds Cast(float16 weight) into a float32 initializer at load (a probe: a 512 MB
      // float32 MatMul and its float16-stored twin both take 23 ms), so the MatMuls read float32.
      // Every matrix is read once per token: the layers' projections and MLP, and the (tied) LM head;
      // the embedding gives one row. Plus the KV cache at the measured context.
      let layerWeights = 0;
      for (const [name, dims] of glmWeightShapes(config))
        if (dims.length === 2 && name !== 'model.embed_tokens.weight') layerWeights += dims[0] * dims[1];
      const headBytes = config.vocab_size * config.hidden_size * 4; // tied to the embedding: stays float32
      const { copy, read } = bandwidths();
      console.log(
        `bandwidth, one thread: copy ${(copy / 1e9).toFixed(1)} GB/s (Buffer.copy 256 MB), ` +
          `read ${(read / 1e9).toFixed(1)} GB/s (Buffer.compare); context ≤ ${context}`,
      );
      const report = (label: string, tokensPerSecond: number, bytes: number) =>
        console.log(
          `${label}: ${tokensPerSecond.toFixed(2)} tokens/s on ${THREADS} threads; ${(bytes / 1e9).toFixed(2)} GB ` +
            `read per token → limit ${(copy / bytes).toFixed(2)} tokens/s by copy bandwidth ` +
            `(${((tokensPerSecond * bytes * 100) / copy).toFixed(0)}% of it), ${(read / bytes).toFixed(2)} by read ` +
            `bandwidth (${((tokensPerSecond * bytes * 100) / read).toFixed(0)}%)`,
        );
      const float32 = layerWeights * 4 + headBytes + kvBytes;
      const rate32 = await decodeRate(path.join(dir, 'model.onnx'), config);
      report('float16 weights (float32 after load)', rate32, float32);

      started = performance.now();
      const q4Bytes = rewriteAsRandomQ4(dir) + headBytes + kvBytes;
      console.log(`q4 rewrite (MatMulNBits, blocks of 32) in ${seconds(started)} s`);
      const rate4 = await decodeRate(path.join(dir, 'model_q4.onnx'), config);
      report('q4 weights (MatMulNBits; the tied head stays float32)', rate4, q4Bytes);
      console.log(`q4 vs float32: ${(rate4 / rate32).toFixed(2)}x tokens/s`);
      const peak = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
      console.log(`peak memory of the process: ${(Number(peak) / 2 ** 20).toFixed(2)} GiB`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
