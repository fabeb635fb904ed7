import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { createOnnxEngine, type OnnxEngine } from '@zhibing/engine';
import { buildModelFolder, PRESETS, writeOptimumExport, writeSeededCheckpoint } from '@zhibing/kernels';
import { bareDecodeMs } from './bare-decode-loop';
import type { Bench } from './benches';
import { percentile } from './stats';

/** A dense GLM big enough that a step is real work (≈ 52M parameters, 210 MB float32), vocab of the byte tokenizer. */
const SMALL = {
  hidden_size: 768,
  num_hidden_layers: 6,
  num_attention_heads: 6,
  num_key_value_heads: 2,
  head_dim: 128,
  intermediate_size: 3072,
};
/** Tokens per stream: many on the tiny model (a step is ≈ 0.1 ms), fewer on the small one. */
const TOKENS = { 'tiny-dense': 256, small: 32 } as const;
const ROUNDS = 7;
/** Tokens per stream when 8 streams run one after another and at once (on the small model). */
const BATCH_TOKENS = 64;
const PROMPT = '谷爱凌是谁？她在北京冬奥会上';

async function generationMs(engine: OnnxEngine, maxTokens: number, seed = 0): Promise<{ ms: number; tokens: number }> {
  const request = { prompt: PROMPT, settings: { maxTokens, temperature: 0.8, seed, stop: [], ignoreEos: true } };
  for await (const event of engine.generate(request)) {
    if (event.type === 'end') return { ms: event.timings.totalMs, tokens: event.usage.completionTokens };
  }
  throw new Error('stream ended without an end event');
}

/**
 * (a) The engine's decode rate against a bare `session.run` loop on the same graph (same model,
 * one thread each): the engine's overhead, for our naive graph and for the same checkpoint as an
 * Optimum-layout export. Decode time is the time of TOKENS tokens minus the time of 1 (the same
 * prefill); engine and bare rounds alternate, and the best of ROUNDS is compared (other processes
 * on a shared machine only ever add time), with the medians beside it. (b) 8 streams at once
 * (batched steps) against the same 8 one after another on the small model, with 1 and 2 threads.
 */
export const engineOverheadBench: Bench = {
  name: 'engine-overhead',
  async run() {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-bench-overhead-'));
    try {
      // tiny-dense: a step is ≈ 0.3 ms, so the engine's own per-step cost shows; SMALL: a step is real work.
      for (const [name, overrides] of [
        ['tiny-dense', {}],
        ['small', SMALL],
      ] as const) {
        const checkpoint = path.join(root, `${name}-checkpoint`);
        writeSeededCheckpoint({ preset: 'tiny-dense', seed: 7, out: checkpoint, overrides });
        const own = path.join(root, `${name}-own`);
        buildModelFolder({ fromHf: checkpoint, out: own, onWarning: () => undefined });
        const exported = path.join(root, `${name}-export`);
        writeOptimumExport({ fromHf: checkpoint, out: exported, dtypes: ['fp32'] });
        const shape = { ...PRESETS['tiny-dense'], ...overrides };
        console.log(
          `### ${name}: glm, hidden ${shape.hidden_size}, ${shape.num_hidden_layers} layers, ` +
            `${TOKENS[name]} tokens, 1 thread`,
        );
        await overhead('our naive graph', own, path.join(own, 'model.onnx'), shape, TOKENS[name]);
        await overhead(
          'Optimum-layout export (fp32)',
          exported,
          path.join(exported, 'onnx', 'model.onnx'),
          shape,
          TOKENS[name],
        );
      }
      const own = path.join(root, 'small-own');
      for (const threads of [1, 2]) await batching(own, threads);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  },
};

async function overhead(
  label: string,
  dir: string,
  graph: string,
  shape: Parameters<typeof bareDecodeMs>[1],
  tokens: number,
) {
  const engine = await createOnnxEngine({ modelDir: dir, worker: false });
  const session = await ort.InferenceSession.create(graph, { executionProviders: ['cpu'], intraOpNumThreads: 1 });
  const promptIds = [...Buffer.from(PROMPT)];
  try {
    await generationMs(engine, tokens); // warm-up
    await bareDecodeMs(session, shape, promptIds, tokens - 1);
    const engineMs: number[] = [];
    const bareMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const full = await generationMs(engine, tokens, round);
      const one = await generationMs(engine, 1, round);
      engineMs.push((full.ms - one.ms) / (full.tokens - 1));
      bareMs.push((await bareDecodeMs(session, shape, promptIds, tokens - 1)) / (tokens - 1));
    }
    const engineStep = Math.min(...engineMs);
    const bareStep = Math.min(...bareMs);
    const medianOverhead = (percentile(engineMs, 50) / percentile(bareMs, 50) - 1) * 100;
    console.log(
      `${label}: engine ${(1000 / engineStep).toFixed(1)} tokens/s, bare session.run loop ` +
        `${(1000 / bareStep).toFixed(1)} tokens/s (best of ${ROUNDS}); ` +
        `overhead ${((engineStep / bareStep - 1) * 100).toFixed(1)}% ` +
        `(medians: ${medianOverhead.toFixed(1)}%)  [goal ≤ 10%]`,
    );
  } finally {
    await engine.close();
    await session.release();
  }
}

async function batching(dir: string, threads: number) {
  const engine = await createOnnxEngine({ modelDir: dir, threads, worker: false });
  try {
    await generationMs(engine, 4);
    const rates = { sequential: [] as number[], batched: [] as number[] };
    for (let round = 0; round < 3; round++) {
      let started = performance.now();
      let tokens = 0;
      for (let s = 0; s < 8; s++) tokens += (await generationMs(engine, BATCH_TOKENS, 10 + s)).tokens;
      rates.sequential.push((tokens / (performance.now() - started)) * 1000);
      started = performance.now();
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, s) => generationMs(engine, BATCH_TOKENS, 10 + s)),
      );
      rates.batched.push((results.reduce((a, r) => a + r.tokens, 0) / (performance.now() - started)) * 1000);
    }
    const sequential = percentile(rates.sequential, 50);
    const batched = percentile(rates.batched, 50);
    console.log(
      `small, ${BATCH_TOKENS} tokens per stream, ${threads} thread(s): 8 streams one after another: ` +
        `${sequential.toFixed(1)} tokens/s; at once (batched): ${batched.toFixed(1)} tokens/s; ` +
        `ratio ${(batched / sequential).toFixed(2)}x  [goal ≥ 3x] (median of 3)`,
    );
  } finally {
    await engine.close();
  }
}
