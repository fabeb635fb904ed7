import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Bench } from './benches';

/**
 * Peak memory of `model build --from-hf` on a GLM-4-9B-shaped checkpoint (random bf16 weights in
 * ~5 GB shards with an index, written here), run as a child process. The target (issue 10): peak
 * RSS ≤ 2 GB beyond the largest tensor. Runs two layer counts with the exact per-layer shapes (peak
 * memory must not depend on the count; the largest tensors, embedding and lm_head, are full size):
 * 4 and the whole model's 40 (≈ 19 GB of checkpoint plus ≈ 19 GB of output on disk, ~12 minutes)
 * when the temp folder has 45 GB free, else 2 and 6. `HF_BUILD_LAYERS=4,40` and
 * `HF_BUILD_KINDS=fp16,int4,int8` choose.
 */
const GLM4_9B = {
  architectures: ['GlmForCausalLM'],
  model_type: 'glm',
  vocab_size: 151552,
  hidden_size: 4096,
  num_attention_heads: 32,
  num_key_value_heads: 2,
  head_dim: 128,
  intermediate_size: 13696,
  max_position_embeddings: 131072,
  partial_rotary_factor: 0.5,
  rope_theta: 10000,
  rms_norm_eps: 1.5625e-7,
  attention_bias: true,
  tie_word_embeddings: false,
  pad_token_id: 151329,
  eos_token_id: [151329, 151336, 151338],
  torch_dtype: 'bfloat16',
};
const SHARD_BYTES = 5e9;
const GB = 1e9;

/** The checkpoint's tensors (Hugging Face names and shapes of GLM-4-9B-chat-hf), in file order. */
function tensors(layers: number): [string, number[]][] {
  const h = GLM4_9B.hidden_size;
  const kv = GLM4_9B.num_key_value_heads * GLM4_9B.head_dim;
  const list: [string, number[]][] = [['model.embed_tokens.weight', [GLM4_9B.vocab_size, h]]];
  for (let i = 0; i < layers; i++) {
    const p = `model.layers.${i}`;
    list.push(
      [`${p}.input_layernorm.weight`, [h]],
      [`${p}.self_attn.q_proj.weight`, [h, h]],
      [`${p}.self_attn.q_proj.bias`, [h]],
      [`${p}.self_attn.k_proj.weight`, [kv, h]],
      [`${p}.self_attn.k_proj.bias`, [kv]],
      [`${p}.self_attn.v_proj.weight`, [kv, h]],
      [`${p}.self_attn.v_proj.bias`, [kv]],
      [`${p}.self_attn.o_proj.weight`, [h, h]],
      [`${p}.post_attention_layernorm.weight`, [h]],
      [`${p}.mlp.gate_up_proj.weight`, [2 * GLM4_9B.intermediate_size, h]],
      [`${p}.mlp.down_proj.weight`, [h, GLM4_9B.intermediate_size]],
    );
  }
  list.push(['model.norm.weight', [h]], ['lm_head.weight', [GLM4_9B.vocab_size, h]]);
  return list;
}

/** 64 MB of bf16 noise, uniform in ±0.05 (finite, like trained weights' range): repeated to fill tensors. */
function noise(): Buffer {
  const floats = new Float32Array(1 << 25);
  let state = 12345;
  for (let i = 0; i < floats.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    floats[i] = (state / 2 ** 32 - 0.5) * 0.1;
  }
  const words = new Uint32Array(floats.buffer);
  const bf16 = new Uint16Array(floats.length);
  for (let i = 0; i < floats.length; i++) bf16[i] = words[i] >>> 16;
  return Buffer.from(bf16.buffer);
}

/** Writes config.json, the bf16 shards and model.safetensors.index.json; returns the largest tensor's bytes. */
function writeCheckpoint(dir: string, layers: number): { largest: number; bytes: number } {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...GLM4_9B, num_hidden_layers: layers }, null, 2));
  const shards: [string, number[]][][] = [[]];
  let size = 0;
  for (const tensor of tensors(layers)) {
    const bytes = tensor[1].reduce((a, b) => a * b, 2);
    if (size > 0 && size + bytes > SHARD_BYTES) {
      shards.push([]);
      size = 0;
    }
    shards[shards.length - 1].push(tensor);
    size += bytes;
  }
  const fill = noise();
  const weightMap: Record<string, string> = {};
  let largest = 0;
  let total = 0;
  shards.forEach((list, s) => {
    const file = `model-${String(s + 1).padStart(5, '0')}-of-${String(shards.length).padStart(5, '0')}.safetensors`;
    const header: Record<string, unknown> = {};
    let offset = 0;
    for (const [name, dims] of list) {
      const bytes = dims.reduce((a, b) => a * b, 2);
      header[name] = { dtype: 'BF16', shape: dims, data_offsets: [offset, offset + bytes] };
      offset += bytes;
      largest = Math.max(largest, bytes);
      weightMap[name] = file;
    }
    let json = JSON.stringify(header);
    json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
    const fd = fs.openSync(path.join(dir, file), 'w');
    try {
      const length = Buffer.alloc(8);
      length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
      fs.writeSync(fd, length);
      fs.writeSync(fd, json);
      for (let done = 0; done < offset;) done += fs.writeSync(fd, fill, 0, Math.min(fill.length, offset - done));
    } finally {
      fs.closeSync(fd);
    }
    total += offset;
  });
  const index = { metadata: { total_size: total }, weight_map: weightMap };
  fs.writeFileSync(path.join(dir, 'model.safetensors.index.json'), JSON.stringify(index));
  return { largest, bytes: total };
}

/**
 * Runs the CLI in a child process and returns its peak RSS: the kernel's high-water mark
 * (/proc/<pid>/status VmHWM, sampled every 50 ms) and, exact, the child's own getrusage maxRSS,
 * reported at exit by a preloaded hook. The larger of the two is the figure.
 */
async function peakRss(args: string[], hook: string): Promise<{ peak: number; seconds: number }> {
  const cli = path.join(__dirname, '..', '..', '..', 'scripts', 'run-cli.js');
  const started = performance.now();
  const child = spawn(process.execPath, ['-r', hook, cli, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let hwm = 0;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setInterval(() => {
    try {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      hwm = Math.max(hwm, kb * 1024);
    } catch {
      // The child has exited between samples: its last high-water mark stands.
    }
  }, 50);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  if (code !== 0) throw new Error(`model build failed (${code}): ${stderr.slice(-2000)}`);
  const reported = Number(/maxrss_kb=(\d+)/.exec(stderr)?.[1] ?? 0) * 1024;
  return { peak: Math.max(hwm, reported), seconds: (performance.now() - started) / 1000 };
}

const gb = (bytes: number) => `${(bytes / GB).toFixed(2)} GB`;

export const hfBuildMemoryBench: Bench = {
  name: 'hf-build-memory',
  optIn: true,
  async run() {
    const kinds = (process.env.HF_BUILD_KINDS ?? 'fp16,int4').split(',');
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'zhibing-hf-memory-'));
    const hook = path.join(root, 'report-max-rss.js');
    fs.writeFileSync(
      hook,
      "process.on('exit', () => process.stderr.write(`maxrss_kb=${process.resourceUsage().maxRSS}\\n`));\n",
    );
    const free = fs.statfsSync(root);
    const freeBytes = free.bavail * free.bsize;
    const layerCounts = (process.env.HF_BUILD_LAYERS ?? (freeBytes >= 45 * GB ? '4,40' : '2,6')).split(',').map(Number);
    console.log(`free disk in ${os.tmpdir()}: ${gb(freeBytes)}; memory ${gb(os.totalmem())}; layers ${layerCounts}`);
    try {
      // Baseline in the same run: the CLI process doing nothing but start (Node + the compiled CLI).
      const idle = await peakRss(['model', 'build', '--help'], hook);
      console.log(`baseline: the CLI starting and printing help peaks at ${gb(idle.peak)}`);
      console.log(
        '| layers | checkpoint | build | largest tensor | peak RSS | peak − largest | target ≤ 2 GB | time |',
      );
      console.log('|---|---|---|---|---|---|---|---|');
      for (const layers of layerCounts) {
        const checkpoint = path.join(root, `glm4-9b-${layers}`);
        const { largest, bytes } = writeCheckpoint(checkpoint, layers);
        for (const kind of kinds) {
          const out = path.join(root, `out-${layers}-${kind}`);
          const options = kind === 'fp16' ? ['--dtype', 'fp16'] : ['--quantize', kind];
          const result = await peakRss(['model', 'build', '--from-hf', checkpoint, '--out', out, ...options], hook);
          const beyond = result.peak - largest;
          const verdict = beyond <= 2 * GB ? 'met' : 'MISSED';
          const cells = [layers, gb(bytes), kind, `${gb(largest)} (bf16)`, gb(result.peak), gb(beyond), verdict];
          console.log(`| ${cells.join(' | ')} | ${result.seconds.toFixed(0)} s |`);
          fs.rmSync(out, { recursive: true, force: true });
        }
        fs.rmSync(checkpoint, { recursive: true, force: true });
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  },
};
