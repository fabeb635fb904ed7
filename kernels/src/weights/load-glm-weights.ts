import type { GlmConfig } from '../glm/glm-config';
import { glmWeightShapes, type GlmWeights } from '../glm/glm-weights';
import { readSafetensors, type SafetensorsTensor } from './safetensors';

/**
 * Loads a GLM checkpoint's weights (one or more .safetensors shards, Hugging Face names) for
 * the architecture `config` describes. A fused `mlp.gate_up_proj.weight` is split into gate and
 * up; tied embeddings (no `lm_head.weight`) reuse `model.embed_tokens.weight`. Throws naming every
 * missing tensor and every shape that does not fit.
 */
export function loadGlmWeights(files: string[], config: GlmConfig): GlmWeights {
  const found = new Map<string, SafetensorsTensor>();
  for (const file of files) for (const [name, tensor] of readSafetensors(file)) found.set(name, tensor);
  for (const [name, tensor] of [...found]) {
    const fused = /^(.*)\.gate_up_proj\.weight$/.exec(name);
    if (!fused) continue;
    const half = (tensor.dims[0] / 2) * tensor.dims[1];
    found.set(`${fused[1]}.gate_proj.weight`, { data: tensor.data.slice(0, half), dims: [tensor.dims[0] / 2, tensor.dims[1]] });
    found.set(`${fused[1]}.up_proj.weight`, { data: tensor.data.slice(half), dims: [tensor.dims[0] / 2, tensor.dims[1]] });
  }
  if (!found.has('lm_head.weight') && found.has('model.embed_tokens.weight')) found.set('lm_head.weight', found.get('model.embed_tokens.weight')!);

  const weights: GlmWeights = new Map();
  const problems: string[] = [];
  for (const [name, dims] of glmWeightShapes(config)) {
    const tensor = found.get(name);
    if (!tensor) problems.push(`missing ${name}`);
    else if (tensor.dims.join('x') !== dims.join('x')) problems.push(`${name} is ${tensor.dims.join('x')}, expected ${dims.join('x')}`);
    else weights.set(name, tensor);
  }
  if (problems.length > 0) throw new Error(`${files.join(', ')}: ${problems.slice(0, 10).join('; ')}${problems.length > 10 ? `; and ${problems.length - 10} more` : ''}`);
  return weights;
}
