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

/** Best of five 256 MB Buffer copies: bytes copied per second (each byte is read once and written once). */
function copyBandwidth(): number {
  const size = 256 * 1024 * 1024;
  const from = Buffer.alloc(size, 1);
  const to = Buffer.alloc(size);
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    from.copy(to);
    times.push(performance.now() - started);
  }
  return size / (Math.min(...times) / 1000);
}

/**
 * A GLM-Edge-1.5B-shaped model with random weights stored as float16 (3 GB in os.tmpdir(),
 * deleted after): greedy decode tokens/s with a bare session loop on 2 threads, the bytes of
 * weights read per token (onnxruntime folds the float16→float32 casts at load, so the MatMuls read
 * float32), a measured copy bandwidth, and the decode rate as a share of the bandwidth limit.
 * Opt-in: `npm run bench engine-edge` (minutes, ~9 GB of memory at peak).
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

      started = performance.now();
      const session = await ort.InferenceSession.create(path.join(dir, 'model.onnx'), {
        executionProviders: ['cpu'],
        intraOpNumThreads: THREADS,
      });
      console.log(`session in ${seconds(started)} s`);

      const promptIds = Array.from({ length: PROMPT_TOKENS }, (_, i) => 100 + i);
      await bareDecodeMs(session, config, promptIds, 2); // warm-up
      const perToken: number[] = [];
      for (let round = 0; round < 3; round++)
        perToken.push((await bareDecodeMs(session, config, promptIds, STEPS)) / STEPS);
      const peak = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
      console.log(`peak memory of the process: ${(Number(peak) / 2 ** 20).toFixed(2)} GiB`);
      await session.release();
      const tokensPerSecond = 1000 / percentile(perToken, 50);

      // onnxruntime folds Cast(float16 weight) into a float32 initializer at load (a probe: a 512 MB
      // float32 MatMul and its float16-stored twin both take 23 ms), so the MatMuls read float32.
      // Every matrix is read once per token: the layers' projections and MLP, and the (tied) LM head;
      // the embedding gives one row. Plus the KV cache at the measured context.
      let weights = 0;
      for (const [name, dims] of glmWeightShapes(config))
        if (dims.length === 2 && name !== 'model.embed_tokens.weight') weights += dims[0] * dims[1];
      weights += config.vocab_size * config.hidden_size; // the LM head (tied to the embedding)
      const context = PROMPT_TOKENS + STEPS;
      const kvBytes = 2 * config.num_hidden_layers * config.num_key_value_heads * config.head_dim * context * 4;
      const bytesPerToken = weights * 4 + kvBytes;
      const bandwidth = copyBandwidth();
      const limit = bandwidth / bytesPerToken;
      console.log(
        `decode (${THREADS} threads, context ≤ ${context}): ${tokensPerSecond.toFixed(2)} tokens/s ` +
          `(median of 3 × ${STEPS} steps)`,
      );
      console.log(
        `bytes read per token: ${(bytesPerToken / 1e9).toFixed(2)} GB (${(weights / 1e9).toFixed(2)}B float32 weights)`,
      );
      console.log(
        `copy bandwidth (Buffer.copy 256 MB, best of 5): ${(bandwidth / 1e9).toFixed(1)} GB/s ` +
          `→ limit ${limit.toFixed(2)} tokens/s`,
      );
      console.log(`share of the bandwidth limit: ${((tokensPerSecond / limit) * 100).toFixed(0)}%`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
