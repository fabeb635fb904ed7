import * as fs from 'node:fs';
import * as path from 'node:path';
import type { GlmConfig } from '../glm/glm-config';
import { glmWeightShapes, type GlmWeights, type WeightTensor } from '../glm/glm-weights';
import { indexSafetensors, readSafetensorsEntry, type SafetensorsEntry } from './safetensors';

/** A tensor the model reads: stored under its own name, or one half of a fused gate_up_proj. */
interface Source {
  entry: SafetensorsEntry;
  half?: 0 | 1;
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
 * tensor the architecture does not read and every wrong shape stops it, named. The tensors are
 * read from disk one at a time when a graph builder asks (a fused `gate_up_proj` serves its gate
 * and up halves), so memory holds about one source tensor beyond what the builder keeps.
 */
export function loadGlmWeights(files: string[], config: GlmConfig): GlmWeights {
  const stored = new Map<string, SafetensorsEntry>();
  for (const file of files) for (const [name, entry] of indexSafetensors(file)) stored.set(name, entry);
  const expected = glmWeightShapes(config);
  const sources = new Map<string, Source>();
  const problems: string[] = [];
  for (const [name, entry] of stored) {
    const fused = /^(.*)\.gate_up_proj\.weight$/.exec(name);
    if (fused && expected.has(`${fused[1]}.gate_proj.weight`)) {
      sources.set(`${fused[1]}.gate_proj.weight`, { entry, half: 0 });
      sources.set(`${fused[1]}.up_proj.weight`, { entry, half: 1 });
    } else if (expected.has(name)) {
      sources.set(name, { entry });
    } else if (!isUnused(name, config)) {
      problems.push(`unexpected ${name}`);
    }
  }
  for (const [name, dims] of expected) {
    const source = sources.get(name);
    if (!source) {
      problems.push(`missing ${name}`);
      continue;
    }
    const { entry, half } = source;
    const stored = half === undefined ? entry.dims : [entry.dims[0] / 2, ...entry.dims.slice(1)];
    if (stored.join('x') !== dims.join('x')) {
      const fused = half === undefined ? '' : ' (×2, fused)';
      problems.push(`${entry.name} is ${entry.dims.join('x')}, expected ${dims.join('x')}${fused}`);
    }
  }
  if (problems.length > 0) throw problemsError(files, problems);
  return {
    has: (name) => sources.has(name),
    get: (name): WeightTensor | undefined => {
      const source = sources.get(name);
      if (!source) return undefined;
      const tensor = readSafetensorsEntry(source.entry);
      if (source.half === undefined) return tensor;
      const rows = tensor.dims[0] / 2;
      const size = rows * tensor.dims.slice(1).reduce((a, b) => a * b, 1);
      // transformers' chunk(2) along the output rows: gate first, then up.
      const data = tensor.data.slice(source.half * size, (source.half + 1) * size);
      return { data, dims: [rows, ...tensor.dims.slice(1)] };
    },
  };
}
