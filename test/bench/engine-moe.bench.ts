import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { OnnxEngine } from '@zhibing/engine';
import {
  buildGlmFusedGraph,
  byteLevelTokenizerJson,
  decoderFeeds,
  GLM_SPECIAL_TOKENS,
  type GlmConfig,
  parseGlmConfig,
  PRESETS,
  seededGlmWeights,
} from '@zhibing/kernels';
import type { Bench } from './benches';
import { percentile } from './stats';

/**
 * Streams decoding together. With top-2 of 16 experts a step of n tokens reads ~16·(1 − (7/8)^n)
 * distinct experts: at n = 8 the bytes per token fall only 2.5× below one stream's, at n = 16 3.7×.
 */
const STREAMS = 16;
/** Requests arriving at once for the time-to-first-token comparison (all within one prefill budget). */
const ARRIVALS = 8;
const TOKENS = 48;
const ROUNDS = 3;
const PROMPT = '谷爱凌是谁？她在北京冬奥会上';

/**
 * A 113M-parameter GLM-MoE in GLM-4.5's shape (sigmoid routing in groups, a shared expert, every
 * layer MoE), byte vocabulary: hidden 512, 8 layers, 8 heads / 2 KV heads × 64, 16 experts × 512,
 * top-2. Per token it reads attention + 2 routed + 1 shared expert per layer: 24M weights.
 */
const CONFIG: GlmConfig = parseGlmConfig(
  {
    ...PRESETS['tiny-moe'],
    hidden_size: 512,
    num_hidden_layers: 8,
    num_attention_heads: 8,
    num_key_value_heads: 2,
    head_dim: 64,
    intermediate_size: 1024,
    n_routed_experts: 16,
    n_group: 4,
    topk_group: 2,
    num_experts_per_tok: 2,
    moe_intermediate_size: 512,
    position_encoding: '1d',
    zhibing: { preset: 'moe-113m', seed: 7, graph: 'fused' },
  },
  'bench moe-113m',
);

/** Weights a decode step of one token reads, as float32: attention, the routed and shared experts, norms, head. */
function bytesPerToken(c: GlmConfig): number {
  const h = c.hidden_size;
  const attention = h * c.num_attention_heads * c.head_dim * 2 + h * c.num_key_value_heads * c.head_dim * 2;
  const expert = 3 * h * c.moe_intermediate_size!;
  const experts = (c.num_experts_per_tok! + c.n_shared_experts!) * expert + h * c.n_routed_experts!;
  return 4 * (c.num_hidden_layers * (attention + experts) + h * c.vocab_size + h);
}

function parameters(c: GlmConfig): number {
  const h = c.hidden_size;
  const attention = h * c.num_attention_heads * c.head_dim * 2 + h * c.num_key_value_heads * c.head_dim * 2;
  const experts = (c.n_routed_experts! + c.n_shared_experts!) * 3 * h * c.moe_intermediate_size!;
  return c.num_hidden_layers * (attention + experts + h * c.n_routed_experts!) + 2 * h * c.vocab_size;
}

/** Bytes read per second on one thread: Buffer.compare of two equal 256 MB buffers, best of five. */
function readBandwidth(): number {
  const size = 256 * 1024 * 1024;
  const a = Buffer.alloc(size, 1);
  const b = Buffer.alloc(size, 1);
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    Buffer.compare(a, b);
    best = Math.min(best, performance.now() - started);
  }
  return (2 * size) / (best / 1000);
}

/** A bare greedy session loop on the same graph, one thread: decode tokens/s without the engine. */
async function bareDecodeRate(file: string): Promise<number> {
  const session = await ort.InferenceSession.create(file, { intraOpNumThreads: 1 });
  try {
    const prompt = Array.from({ length: 40 }, (_, i) => 97 + (i % 26));
    let out = await session.run(decoderFeeds(ort, CONFIG, prompt, null, 0));
    const started = performance.now();
    for (let step = 0; step < TOKENS; step++)
      out = await session.run(decoderFeeds(ort, CONFIG, [97 + (step % 26)], out, prompt.length + step));
    return (TOKENS / (performance.now() - started)) * 1000;
  } finally {
    await session.release();
  }
}

/** How much fewer weight bytes a token reads when `n` tokens share a step (expected distinct experts). */
function bytesRatioCeiling(c: GlmConfig, n: number): number {
  const h = c.hidden_size;
  const attention = h * c.num_attention_heads * c.head_dim * 2 + h * c.num_key_value_heads * c.head_dim * 2;
  const expert = 3 * h * c.moe_intermediate_size!;
  const routed = c.n_routed_experts!;
  const distinct = routed * (1 - (1 - c.num_experts_per_tok! / routed) ** n);
  const perStep = (k: number) => c.num_hidden_layers * (attention + (k + c.n_shared_experts!) * expert);
  return perStep(c.num_experts_per_tok!) / (perStep(distinct) / n);
}

/**
 * Milliseconds from ARRIVALS requests made at once to each one's first token (a reply of one
 * token: its end comes right after that token is sampled), sorted.
 */
async function firstTokenTimes(engine: OnnxEngine): Promise<number[]> {
  const started = performance.now();
  const one = async (s: number) => {
    const request = { prompt: PROMPT, settings: { maxTokens: 1, temperature: 0.8, seed: s } };
    for await (const event of engine.generate(request)) if (event.type === 'end') return performance.now() - started;
    throw new Error('the stream ended without an end event');
  };
  const times = await Promise.all(Array.from({ length: ARRIVALS }, (_, s) => one(s)));
  return times.sort((a, b) => a - b);
}

async function generate(engine: OnnxEngine, seed: number): Promise<number> {
  const request = {
    prompt: PROMPT,
    settings: { maxTokens: TOKENS, temperature: 0.8, seed, stop: [], ignoreEos: true },
  };
  for await (const event of engine.generate(request)) if (event.type === 'end') return event.usage.completionTokens;
  throw new Error('the stream ended without an end event');
}

/**
 * `npm run bench engine-moe` (opt-in: builds a 450 MB model in the temp folder, about a minute):
 * the onnx engine on a 113M GLM-MoE (fused graph, one thread): one stream's decode rate against
 * the read-bandwidth limit (weights read per token ÷ bytes read per second, measured in the same
 * run), 16 streams at once (continuous batching) against the same 16 one after another, and the
 * time to first token of 8 requests arriving at once with their prompts prefilled in one call
 * against one call each (`batchedPrefill: false`, the engine before batched fused prefill).
 */
export const engineMoeBench: Bench = {
  name: 'engine-moe',
  optIn: true,
  async run() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-bench-moe-'));
    try {
      let started = performance.now();
      const graph = buildGlmFusedGraph(CONFIG, seededGlmWeights(CONFIG, 7));
      graph.writeWithExternalData(path.join(dir, 'model.onnx'), path.join(dir, 'model.onnx.data'));
      fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(CONFIG));
      fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(byteLevelTokenizerJson(GLM_SPECIAL_TOKENS)));
      console.log(
        `moe-113m: ${(parameters(CONFIG) / 1e6).toFixed(0)}M parameters, built in ` +
          `${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      const engine = await OnnxEngine.load({ modelDir: dir, threads: 1 });
      const oneByOne = await OnnxEngine.load({ modelDir: dir, threads: 1, batchedPrefill: false });
      try {
        await generate(engine, 0);
        await generate(oneByOne, 0);
        const rates = {
          bare: [] as number[],
          single: [] as number[],
          sequential: [] as number[],
          batched: [] as number[],
          batchedOneByOnePrefill: [] as number[],
        };
        const firstToken = { batched: [] as number[][], oneByOne: [] as number[][] };
        for (let round = 0; round < ROUNDS; round++) {
          rates.bare.push(await bareDecodeRate(path.join(dir, 'model.onnx')));
          // One stream, decode only: the time of TOKENS tokens minus the time of one (same prefill).
          started = performance.now();
          await engine
            .generate({ prompt: PROMPT, settings: { maxTokens: 1 } })
            [Symbol.asyncIterator]()
            .next();
          const prefillMs = performance.now() - started;
          started = performance.now();
          let tokens = 0;
          for (let s = 0; s < STREAMS; s++) tokens += await generate(engine, 10 + s);
          const sequentialMs = performance.now() - started;
          rates.sequential.push((tokens / sequentialMs) * 1000);
          rates.single.push(((TOKENS - 1) / (sequentialMs / STREAMS - prefillMs)) * 1000);
          started = performance.now();
          const together = await Promise.all(Array.from({ length: STREAMS }, (_, s) => generate(engine, 10 + s)));
          rates.batched.push((together.reduce((a, b) => a + b, 0) / (performance.now() - started)) * 1000);
          started = performance.now();
          const before = await Promise.all(Array.from({ length: STREAMS }, (_, s) => generate(oneByOne, 10 + s)));
          rates.batchedOneByOnePrefill.push((before.reduce((a, b) => a + b, 0) / (performance.now() - started)) * 1000);
          firstToken.batched.push(await firstTokenTimes(engine));
          firstToken.oneByOne.push(await firstTokenTimes(oneByOne));
        }
        const read = readBandwidth();
        const limit = read / bytesPerToken(CONFIG);
        const single = percentile(rates.single, 50);
        const bare = percentile(rates.bare, 50);
        const sequential = percentile(rates.sequential, 50);
        const batched = percentile(rates.batched, 50);
        console.log(
          `one stream: ${single.toFixed(1)} tokens/s decode; reads ${(bytesPerToken(CONFIG) / 1e6).toFixed(0)} MB of ` +
            `weights a token; read bandwidth ${(read / 1e9).toFixed(1)} GB/s (Buffer.compare, one thread) → ` +
            `limit ${limit.toFixed(1)} tokens/s; ${((single / limit) * 100).toFixed(0)}% of it  [goal ≥ 80%]`,
        );
        console.log(
          `bare session loop on the same graph: ${bare.toFixed(1)} tokens/s (${((bare / limit) * 100).toFixed(0)}% ` +
            `of the limit); the engine reaches ${((single / bare) * 100).toFixed(0)}% of it`,
        );
        console.log(
          `${STREAMS} streams × ${TOKENS} tokens: one after another ${sequential.toFixed(1)} tokens/s; at once ` +
            `(batched) ${batched.toFixed(1)} tokens/s; ratio ${(batched / sequential).toFixed(2)}×  [goal ≥ 3×] ` +
            `(median of ${ROUNDS}); weight bytes per token allow ${bytesRatioCeiling(CONFIG, STREAMS).toFixed(1)}×`,
        );
        const oneByOneBatched = percentile(rates.batchedOneByOnePrefill, 50);
        console.log(
          `  the same at once with one prefill call per prompt (before batched fused prefill): ` +
            `${oneByOneBatched.toFixed(1)} tokens/s, ratio ${(oneByOneBatched / sequential).toFixed(2)}×`,
        );
        // Per round: the median arrival's and the last arrival's time to first token; then the median over rounds.
        const summary = (rounds: number[][]) =>
          `median ${percentile(
            rounds.map((t) => percentile(t, 50)),
            50,
          ).toFixed(0)} ms, last ` +
          `${percentile(
            rounds.map((t) => t[t.length - 1]),
            50,
          ).toFixed(0)} ms`;
        console.log(
          `${ARRIVALS} requests at once, time to first token: prompts prefilled in one call ` +
            `${summary(firstToken.batched)}; ` +
            `one call each ${summary(firstToken.oneByOne)} (median of ${ROUNDS}); load average ` +
            `${os
              .loadavg()
              .map((l) => l.toFixed(1))
              .join(' ')} on ${os.cpus().length} cores`,
        );
      } finally {
        await engine.close();
        await oneByOne.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
