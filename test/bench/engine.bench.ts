import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createOnnxEngine, type OnnxEngine } from '@zhibing/engine';
import { buildModelFolder } from '@zhibing/kernels';
import type { Bench } from './benches';
import { ms, percentile } from './stats';

const TOKENS = 128;

async function stream(
  engine: OnnxEngine,
  seed: number,
): Promise<{ tokens: number; firstTokenMs: number; totalMs: number }> {
  for await (const event of engine.generate({
    prompt: `谷爱凌是谁？${seed}`,
    settings: { maxTokens: TOKENS, temperature: 0.8, seed, stop: [], ignoreEos: true },
  })) {
    if (event.type === 'end')
      return {
        tokens: event.usage.completionTokens,
        firstTokenMs: event.timings.firstTokenMs,
        totalMs: event.timings.totalMs,
      };
  }
  throw new Error('stream ended without an end event');
}

/**
 * The onnx engine on the tiny-moe preset: one stream's tokens/s and time to first token, and 8
 * streams started together (batched decoding: one session call per step for all) vs the same 8
 * one after another, for the naive and the fused graph of the same weights. EOS is ignored so
 * every stream generates the same number of tokens.
 */
export const engineBench: Bench = {
  name: 'engine',
  async run() {
    for (const graph of ['naive', 'fused'] as const) {
      console.log(`### ${graph} graph`);
      await measureGraph(graph);
    }
  },
};

async function measureGraph(graph: 'naive' | 'fused'): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-bench-engine-'));
  buildModelFolder({ preset: 'tiny-moe', seed: 7, out: dir, graph });
  const engine = await createOnnxEngine({ modelDir: dir, worker: false });
  try {
    await stream(engine, 0); // warm-up
    const single = [];
    for (let s = 1; s <= 5; s++) single.push(await stream(engine, s));
    const tokensPerSecond = single.map((r) => (r.tokens / r.totalMs) * 1000);
    console.log(
      `one stream (tiny-moe, ${TOKENS} tokens): ${percentile(tokensPerSecond, 50).toFixed(0)} tokens/s; time to first token p50 ${ms(
        percentile(
          single.map((r) => r.firstTokenMs),
          50,
        ),
      )}`,
    );

    // Seven rounds each, median, so one slow round does not decide the ratio.
    const rates = { sequential: [] as number[], concurrent: [] as number[] };
    for (let round = 0; round < 7; round++) {
      let started = performance.now();
      let results = [];
      for (let s = 0; s < 8; s++) results.push(await stream(engine, 10 + s));
      rates.sequential.push((results.reduce((a, r) => a + r.tokens, 0) / (performance.now() - started)) * 1000);
      started = performance.now();
      results = await Promise.all(Array.from({ length: 8 }, (_, s) => stream(engine, 10 + s)));
      rates.concurrent.push((results.reduce((a, r) => a + r.tokens, 0) / (performance.now() - started)) * 1000);
    }
    const sequentialRate = percentile(rates.sequential, 50);
    const concurrentRate = percentile(rates.concurrent, 50);
    console.log(`8 streams one after another: ${sequentialRate.toFixed(0)} tokens/s aggregate (median of 7)`);
    console.log(
      `8 streams at once (batched): ${concurrentRate.toFixed(0)} tokens/s aggregate; ratio ${(concurrentRate / sequentialRate).toFixed(2)}x  [goal ≥ 3x]`,
    );
  } finally {
    await engine.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
