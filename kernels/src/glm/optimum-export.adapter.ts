import * as fs from 'node:fs';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { byteLevelTokenizerJson } from '../tokenizer/byte-level-tokenizer';
import { checkpointFiles, loadGlmWeights } from '../weights/load-glm-weights';
import { writeSafetensors } from '../weights/safetensors';
import { tensorProto } from '../onnx/onnx-graph';
import { quantizeMatMulsQ4 } from './matmul-nbits-quantizer';
import { GLM_SPECIAL_TOKENS, parseGlmConfig, PRESETS, type PresetName } from './glm-config';
import { buildGlmFusedGraph } from './glm-fused-graph';
import { buildGlmNaiveGraph } from './glm-naive-graph';
import { seededGlmWeights } from './glm-weights';

export interface OptimumExportOptions {
  /** A Hugging Face checkpoint folder (config.json, safetensors, tokenizer files), as `model build --from-hf`. */
  fromHf: string;
  out: string;
  /**
   * Which graphs to write: fp32 → onnx/model.onnx, fp16 → onnx/model_fp16.onnx, q4 →
   * onnx/model_q4.onnx (MatMulNBits, 4-bit blocks of 32; float32 I/O). Default: fp32 and fp16.
   */
  dtypes?: ('fp32' | 'fp16' | 'q4')[];
  /**
   * `naive` (standard ops, like Optimum's exports) or `fused` (GroupQueryAttention and the other
   * com.microsoft ops, like onnxruntime-genai's builder: rows must be right-padded).
   */
  graph?: 'naive' | 'fused';
  /** False: no position_ids input; positions come from the mask, as some exports compute them. */
  positionIds?: boolean;
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const FLOAT16 = onnx.TensorProto.DataType.FLOAT16;
const COPIED = ['tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'special_tokens_map.json'];

/**
 * Writes a checkpoint as an Optimum / onnx-community export, for testing the engine on that
 * layout without a download: its config.json (plus the `transformers.js_config` onnx-community
 * adds), its tokenizer files, and `onnx/model.onnx` / `onnx/model_fp16.onnx`. The graphs are our
 * naive GLM graph re-wired to the export's I/O (see toOptimumLayout), so the engine's greedy ids
 * on an export and on `model build --from-hf` of the same checkpoint can be compared exactly.
 * Returns the files written.
 */
export function writeOptimumExport(options: OptimumExportOptions): string[] {
  const configFile = path.join(options.fromHf, 'config.json');
  const raw = JSON.parse(fs.readFileSync(configFile, 'utf8')) as Record<string, unknown>;
  const config = parseGlmConfig(raw, configFile);
  const weights = loadGlmWeights(checkpointFiles(options.fromHf), config);
  fs.mkdirSync(path.join(options.out, 'onnx'), { recursive: true });
  const exportConfig = { ...raw, 'transformers.js_config': { kv_cache_dtype: { fp16: 'float16' } } };
  fs.writeFileSync(path.join(options.out, 'config.json'), `${JSON.stringify(exportConfig, null, 2)}\n`);
  const written = [path.join(options.out, 'config.json')];
  for (const name of COPIED.filter((file) => fs.existsSync(path.join(options.fromHf, file)))) {
    fs.copyFileSync(path.join(options.fromHf, name), path.join(options.out, name));
    written.push(path.join(options.out, name));
  }
  for (const dtype of options.dtypes ?? ['fp32', 'fp16']) {
    const half = dtype === 'fp16';
    const build = options.graph === 'fused' ? buildGlmFusedGraph : buildGlmNaiveGraph;
    const graph = build({ ...config, zhibing: half ? { dtype: 'fp16' } : {} }, weights);
    const files = { fp32: 'model.onnx', fp16: 'model_fp16.onnx', q4: 'model_q4.onnx' };
    const file = path.join(options.out, 'onnx', files[dtype]);
    let model = toOptimumLayout(graph.toModel(), half);
    if (dtype === 'q4') model = quantizeMatMulsQ4(model);
    if (options.positionIds === false) model = positionsFromMask(model);
    fs.writeFileSync(file, onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish());
    written.push(file);
  }
  return written;
}

/**
 * A Hugging Face checkpoint of a preset's seeded weights (config.json without our keys,
 * model.safetensors in F32, the byte-level tokenizer, generation_config.json): the common source of
 * an export and of our own folder in tests. Presets' own-family keys are dropped (checkpoints are
 * 1-D causal).
 */
export function writeSeededCheckpoint(options: {
  preset: PresetName;
  seed: number;
  out: string;
  /** Config keys that replace the preset's (a larger model of the same family, for benchmarks). */
  overrides?: Record<string, unknown>;
}): void {
  const config = { ...PRESETS[options.preset], ...options.overrides } as Record<string, unknown>;
  delete config.position_encoding;
  delete config.zhibing;
  const parsed = parseGlmConfig(config, `preset ${options.preset}`);
  fs.mkdirSync(options.out, { recursive: true });
  const hfConfig = {
    architectures: [parsed.model_type === 'glm4_moe' ? 'Glm4MoeForCausalLM' : 'GlmForCausalLM'],
    ...config,
  };
  fs.writeFileSync(path.join(options.out, 'config.json'), `${JSON.stringify(hfConfig, null, 2)}\n`);
  writeSafetensors(path.join(options.out, 'model.safetensors'), seededGlmWeights(parsed, options.seed));
  fs.writeFileSync(
    path.join(options.out, 'tokenizer.json'),
    JSON.stringify(byteLevelTokenizerJson(GLM_SPECIAL_TOKENS)),
  );
  const generation = { eos_token_id: parsed.eos_token_id, pad_token_id: parsed.pad_token_id };
  fs.writeFileSync(path.join(options.out, 'generation_config.json'), `${JSON.stringify(generation, null, 2)}\n`);
}

/**
 * Re-wires one of our decoder graphs to the export layout: the last-position Gather before the
 * final norm is bypassed (logits for every position, [batch, seq, vocab]), and with `half` the
 * cache inputs and outputs and the logits become float16 through Cast nodes at the edges.
 */
export function toOptimumLayout(model: onnx.IModelProto, half: boolean): onnx.IModelProto {
  const graph = model.graph!;
  const nodes = [...graph.node!];
  const producer = new Map(nodes.flatMap((node) => node.output!.map((out) => [out, node] as const)));
  const rename = (from: string, to: string) => {
    for (const node of nodes) node.input = node.input!.map((input) => (input === from ? to : input));
  };

  // Walk back from the logits to the first Gather on axis 1: lastPosition (the embedding is axis 0).
  const queue = [...producer.get('logits')!.input!];
  let last: onnx.INodeProto | undefined;
  while (queue.length > 0 && !last) {
    const node = producer.get(queue.shift()!);
    if (!node) continue;
    const axis = node.attribute?.find((a) => a.name === 'axis')?.i;
    // GatherElements: the fused graph's per-row last token (see logitsColumn).
    if ((node.opType === 'Gather' || node.opType === 'GatherElements') && Number(axis) === 1) last = node;
    else queue.push(...node.input!);
  }
  if (!last) throw new Error('toOptimumLayout: no last-position Gather before the logits');
  nodes.splice(nodes.indexOf(last), 1);
  rename(last.output![0], last.input![0]);
  // An export has logits for every position, so no column of ours to report.
  graph.output = graph.output!.filter((o) => o.name !== 'logits_column');
  const output = (name: string) => graph.output!.find((o) => o.name === name)!;
  output('logits').type!.tensorType!.shape!.dim![1] = { dimParam: 'sequence' };

  if (half) {
    for (const input of graph.input!) {
      if (!input.name!.startsWith('past_key_values.')) continue;
      input.type!.tensorType!.elemType = FLOAT16;
      const widened = `${input.name}.float32`;
      rename(input.name!, widened);
      nodes.unshift(castNode(input.name!, widened, FLOAT));
    }
    for (const out of graph.output!) {
      if (!out.name!.startsWith('present.') && out.name !== 'logits') continue;
      out.type!.tensorType!.elemType = FLOAT16;
      const wide = `${out.name}.float32`;
      producer.get(out.name!)!.output = producer.get(out.name!)!.output!.map((o) => (o === out.name ? wide : o));
      rename(out.name!, wide);
      nodes.push(castNode(wide, out.name!, FLOAT16));
    }
  }
  return { ...model, graph: { ...graph, node: nodes } };
}

/**
 * Drops the position_ids input: each row's positions become cumsum(attention_mask) − 1 over the
 * last `seq` columns, as exports without that input compute them (left padding then needs no
 * positions from the caller; a pad's own position is −1, and it is masked out).
 */
export function positionsFromMask(model: onnx.IModelProto): onnx.IModelProto {
  const graph = model.graph!;
  const int64 = (name: string, values: number[], dims = [values.length]) =>
    tensorProto(name, BigInt64Array.from(values.map(BigInt)), dims);
  const derived = 'position_ids.from_mask';
  const node = (opType: string, input: string[], output: string, attribute: onnx.IAttributeProto[] = []) => ({
    opType,
    domain: '',
    name: `n_${output}`,
    input,
    output: [output],
    attribute,
  });
  const added = [
    node('CumSum', ['attention_mask', 'pm.axis'], 'pm.cumsum'),
    node('Sub', ['pm.cumsum', 'pm.one'], 'pm.all'),
    node('Shape', ['input_ids'], 'pm.shape'),
    node('Gather', ['pm.shape', 'pm.one'], 'pm.seq', [
      { name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 },
    ]),
    node('Neg', ['pm.seq'], 'pm.start'),
    node('Slice', ['pm.all', 'pm.start', 'pm.end', 'pm.one'], derived),
  ];
  const constants = [int64('pm.axis', [1], []), int64('pm.one', [1]), int64('pm.end', [Number.MAX_SAFE_INTEGER])];
  const rewired = graph.node!.map((n) => ({ ...n, input: n.input!.map((i) => (i === 'position_ids' ? derived : i)) }));
  return {
    ...model,
    graph: {
      ...graph,
      input: graph.input!.filter((i) => i.name !== 'position_ids'),
      node: [...added, ...rewired],
      initializer: [...graph.initializer!, ...constants],
    },
  };
}

function castNode(input: string, output: string, to: number): onnx.INodeProto {
  return {
    opType: 'Cast',
    domain: '',
    name: `cast_${output}`,
    input: [input],
    output: [output],
    attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: to }],
  };
}
