import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GlmConfig } from '../glm/glm-config';
import { glmWeightShapes, type GlmWeights, type WeightTensor } from '../glm/glm-weights';
import { indexSafetensors, readSafetensorsEntry, readSafetensorsStored, type SafetensorsEntry } from './safetensors';

/**
 * Rows [start, start + count) of a stored tensor seen as 2-D [rows, last dim]: an entry of its own,
 * so reading it reads only those bytes. `part` says what it was cut from, for errors.
 */
function rowSlice(
  entry: SafetensorsEntry,
  start: number,
  count: number,
  rowDims: number[],
  part: string,
): SafetensorsEntry {
  const rowBytes = (entry.end - entry.begin) / entry.dims.slice(0, -1).reduce((a, b) => a * b, 1);
  const dims = [count, ...rowDims];
  const begin = entry.begin + start * rowBytes;
  return { ...entry, name: `${entry.name} (${part})`, dims, begin, end: begin + count * rowBytes };
}

/**
 * The tensors a stored one provides: itself, or — a fused `gate_up_proj` [2I, H] (glm, glm4) — its
 * gate and up halves (transformers' chunk(2): gate first), or — transformers 5's stacked experts,
 * `mlp.experts.gate_up_proj` [E, 2I, H] and `mlp.experts.down_proj` [E, H, I] — each expert's part.
 */
function provided(name: string, entry: SafetensorsEntry): [string, SafetensorsEntry][] {
  const fused = /^(.*)\.gate_up_proj\.weight$/.exec(name);
  if (fused && entry.dims.length === 2) {
    const [rows, cols] = entry.dims;
    return [
      [`${fused[1]}.gate_proj.weight`, rowSlice(entry, 0, rows / 2, [cols], 'gate half')],
      [`${fused[1]}.up_proj.weight`, rowSlice(entry, rows / 2, rows / 2, [cols], 'up half')],
    ];
  }
  const stacked = /^(.*\.mlp\.experts)\.(gate_up_proj|down_proj)$/.exec(name);
  if (stacked && entry.dims.length === 3) {
    const [experts, rows, cols] = entry.dims;
    return Array.from({ length: experts }, (_, e) => {
      const prefix = `${stacked[1]}.${e}`;
      if (stacked[2] === 'down_proj') {
        return [[`${prefix}.down_proj.weight`, rowSlice(entry, e * rows, rows, [cols], `expert ${e}`)]];
      }
      return [
        [`${prefix}.gate_proj.weight`, rowSlice(entry, e * rows, rows / 2, [cols], `expert ${e} gate`)],
        [`${prefix}.up_proj.weight`, rowSlice(entry, e * rows + rows / 2, rows / 2, [cols], `expert ${e} up`)],
      ] as [string, SafetensorsEntry][];
    }).flat() as [string, SafetensorsEntry][];
  }
  return [[name, entry]];
}

/**
 * The .safetensors files of a Hugging Face checkpoint folder: the shards its
 * `model.safetensors.index.json` names, else `model.safetensors`.
 */
export function checkpointFiles(dir: string): string[] {
  const indexFile = path.join(dir, 'model.safetensors.index.json');
  if (fs.existsSync(indexFile)) {
    let index: { weight_map?: Record<string, string> };
    try {
      index = JSON.parse(fs.readFileSync(indexFile, 'utf8'));
    } catch (error) {
      throw new Error(`${indexFile}: not valid JSON (${(error as Error).message})`);
    }
    if (!index.weight_map) throw new Error(`${indexFile}: has no weight_map`);
    return [...new Set(Object.values(index.weight_map))].map((shard) => path.join(dir, shard));
  }
  const single = path.join(dir, 'model.safetensors');
  if (!fs.existsSync(single)) throw new Error(`${dir}: no model.safetensors or model.safetensors.index.json`);
  return [single];
}

/** Stored tensors the forward pass never reads: GLM-4.5's multi-token-prediction layers, cached rotary tables. */
function isUnused(name: string, config: GlmConfig): boolean {
  const layer = /^model\.layers\.(\d+)\./.exec(name);
  const index = layer ? Number(layer[1]) : -1;
  const layers = config.num_hidden_layers;
  if (index >= layers && index < layers + config.num_nextn_predict_layers) return true;
  // transformers ties lm_head over whatever is stored
  if (config.tie_word_embeddings && name === 'lm_head.weight') return true;
  return name.endsWith('.rotary_emb.inv_freq');
}

function problemsError(files: string[], problems: string[]): Error {
  const shown = problems.slice(0, 12).join('; ');
  const more = problems.length > 12 ? `; and ${problems.length - 12} more` : '';
  return new Error(`${files.map((f) => path.basename(f)).join(', ')}: ${shown}${more}`);
}

/**
 * A GLM checkpoint's weights (one or more .safetensors shards, Hugging Face names) for the
 * architecture `config` describes, checked from the headers alone: every missing tensor, every
 * tensor the architecture does not read and every wrong shape stops it, named. Each tensor is
 * read from disk when a graph builder asks, only its own bytes (a fused or stacked tensor's part
 * is read alone), so memory holds about one source tensor beyond what the builder keeps.
 */
export function loadGlmWeights(files: string[], config: GlmConfig): GlmWeights {
  const expected = glmWeightShapes(config);
  const sources = new Map<string, SafetensorsEntry>();
  const problems: string[] = [];
  for (const file of files) {
    for (const [name, entry] of indexSafetensors(file)) {
      const parts = provided(name, entry);
      if (parts.some(([part]) => expected.has(part))) for (const [part, slice] of parts) sources.set(part, slice);
      else if (!isUnused(name, config)) problems.push(`unexpected ${name}`);
    }
  }
  for (const [name, dims] of expected) {
    const entry = sources.get(name);
    if (!entry) problems.push(`missing ${name}`);
    else if (entry.dims.join('x') !== dims.join('x')) {
      problems.push(`${entry.name} is ${entry.dims.join('x')}, expected ${dims.join('x')}`);
    }
  }
  if (problems.length > 0) throw problemsError(files, problems);
  return {
    has: (name) => sources.has(name),
    get: (name): WeightTensor | undefined => {
      const entry = sources.get(name);
      return entry ? readSafetensorsEntry(entry) : undefined;
    },
    stored: (name) => {
      const entry = sources.get(name);
      if (!entry) throw new Error(`missing weight ${name}`);
      return readSafetensorsStored(entry);
    },
    rows: (name, start, count) => {
      const entry = sources.get(name);
      if (!entry) throw new Error(`missing weight ${name}`);
      if (entry.dims.length < 2) return readSafetensorsEntry(entry).data;
      const rowDims = entry.dims.slice(1);
      return readSafetensorsEntry(rowSlice(entry, start, count, rowDims, `rows ${start}..${start + count}`)).data;
    },
  };
}
