import type { OnnxGraph } from '../onnx/onnx-graph';
import { type GlmConfig, interleavedRotary, rotaryDim, twoDimensionalPositions } from './glm-config';

/**
 * The pieces of the GLM forward pass, as ONNX nodes, written from transformers' modeling_glm,
 * modeling_glm4 and modeling_glm4_moe. Shared by the naive and the fused graph so both compute the
 * same routing and rotary math.
 */

/** Rotary inverse frequencies over the rotated dims: 1 / theta^(2i / rotary_dim). */
export function inverseFrequencies(config: GlmConfig): Float32Array {
  const dim = rotaryDim(config);
  return Float32Array.from({ length: dim / 2 }, (_, i) => 1 / Math.pow(config.rope_theta, (2 * i) / dim));
}

export interface RotaryAngles {
  cos: string;
  sin: string;
}

/**
 * cos/sin [batch, 1, seq, rotary_dim / 2] of each row's positions, computed in the graph (no
 * table): one entry for 1-D positions [batch, seq], two (one per channel) for GLM's 2-D positions
 * [batch, 2, seq].
 */
export function rotaryAngles(g: OnnxGraph, config: GlmConfig, positions: string): RotaryAngles[] {
  const inv = g.weight('rotary.inv_freq', inverseFrequencies(config), [rotaryDim(config) / 2]);
  const channel = (pos: string) => {
    const angles = g.op1('Mul', [g.op1('Unsqueeze', [g.op1('Cast', [pos], { to: 1 }), g.ints([2])]), inv]);
    const perHead = (t: string) => g.op1('Unsqueeze', [t, g.ints([1])]);
    return { cos: perHead(g.op1('Cos', [angles])), sin: perHead(g.op1('Sin', [angles])) };
  };
  if (!twoDimensionalPositions(config)) return [channel(positions)];
  const pick = (c: number) => g.op1('Squeeze', [g.op1('Gather', [positions, g.ints([c])], { axis: 1 }), g.ints([1])]);
  return [channel(pick(0)), channel(pick(1))];
}

/**
 * Rotary position embedding of x [batch, heads, seq, head_dim]: channel c of `angles` rotates
 * dims [c·rotary_dim, (c+1)·rotary_dim) (1-D: the first rotary_dim dims; GLM's 2-D scheme: the
 * next block by the second channel, as GLM-130B / ChatGLM-6B give each channel its own half), the
 * rest pass through. Pairs are interleaved (x0,x1), (x2,x3)… for glm/glm4, the two halves of
 * each block for glm4_moe. A second channel at position 0 leaves its block as it is.
 */
export function applyRotary(g: OnnxGraph, config: GlmConfig, x: string, angles: RotaryAngles[]): string {
  const d = config.head_dim;
  const rot = rotaryDim(config);
  const used = rot * angles.length;
  const sizes = [...angles.map(() => rot), ...(used < d ? [d - used] : [])];
  const parts =
    sizes.length > 1 ? g.op('Split', [x, g.ints(sizes)], { outputs: sizes.length, attributes: { axis: -1 } }) : [x];
  const out = angles.map((a, c) => rotateBlock(g, config, parts[c], a));
  if (used < d) out.push(parts[angles.length]);
  return out.length > 1 ? g.op1('Concat', out, { axis: -1 }) : out[0];
}

/** Rotates one rotary_dim-wide block [batch, heads, seq, rotary_dim] by its angles. */
function rotateBlock(g: OnnxGraph, config: GlmConfig, rotated: string, angles: RotaryAngles): string {
  const rot = rotaryDim(config);
  const split = (t: string, sizes: number[]) =>
    g.op('Split', [t, g.ints(sizes)], { outputs: 2, attributes: { axis: -1 } });
  if (interleavedRotary(config)) {
    const pairs = g.op1('Reshape', [rotated, g.ints([0, 0, 0, rot / 2, 2])]);
    const [even, odd] = split(pairs, [1, 1]);
    const cos = g.op1('Unsqueeze', [angles.cos, g.ints([-1])]);
    const sin = g.op1('Unsqueeze', [angles.sin, g.ints([-1])]);
    const newEven = g.op1('Sub', [g.op1('Mul', [even, cos]), g.op1('Mul', [odd, sin])]);
    const newOdd = g.op1('Add', [g.op1('Mul', [odd, cos]), g.op1('Mul', [even, sin])]);
    return g.op1('Reshape', [g.op1('Concat', [newEven, newOdd], { axis: -1 }), g.ints([0, 0, 0, rot])]);
  }
  const { cos, sin } = angles;
  const [x1, x2] = split(rotated, [rot / 2, rot / 2]);
  const first = g.op1('Sub', [g.op1('Mul', [x1, cos]), g.op1('Mul', [x2, sin])]);
  const second = g.op1('Add', [g.op1('Mul', [x2, cos]), g.op1('Mul', [x1, sin])]);
  return g.op1('Concat', [first, second], { axis: -1 });
}

/** RMSNorm over the last axis: x / sqrt(mean(x²) + eps) · weight. */
export function rmsNorm(g: OnnxGraph, config: GlmConfig, x: string, weight: string): string {
  const variance = g.op1('ReduceMean', [g.op1('Mul', [x, x]), g.ints([-1])], { keepdims: 1 });
  const scale = g.op1('Sqrt', [g.op1('Add', [variance, g.scalar(config.rms_norm_eps)])]);
  return g.op1('Mul', [g.op1('Div', [x, scale]), weight]);
}

/** x · Wᵀ for the [out, in] weight `name` (MatMul, or MatMulNBits on quantized weights). */
export interface MatMulOf {
  (x: string, name: string): string;
}

/** SwiGLU MLP: down(silu(gate(x)) · up(x)), weights `${prefix}.{gate,up,down}_proj.weight`. */
export function swiglu(g: OnnxGraph, matmul: MatMulOf, x: string, prefix: string): string {
  const gate = matmul(x, `${prefix}.gate_proj.weight`);
  const silu = g.op1('Mul', [gate, g.op1('Sigmoid', [gate])]);
  const up = matmul(x, `${prefix}.up_proj.weight`);
  return matmul(g.op1('Mul', [silu, up]), `${prefix}.down_proj.weight`);
}

/**
 * GLM-4.5's router (Glm4MoeMoE.route_tokens_to_experts): sigmoid scores; the correction bias is
 * added for the CHOICE only; groups ranked by the sum of their two best biased scores, the best
 * `topk_group` groups kept (others' scores set to 0); top-k experts among them; their weights are
 * the unbiased sigmoid scores, renormalized when `norm_topk_prob` (+1e-20), times
 * `routed_scaling_factor`. Returns the sigmoid scores [.., E], the chosen experts [.., k] (int64)
 * and their weights [.., k].
 */
export function glmMoeRouter(
  g: OnnxGraph,
  config: GlmConfig,
  x: string,
  routerWeight: string,
  correctionBias: string,
): { scores: string; indices: string; weights: string } {
  const experts = config.n_routed_experts;
  const perGroup = experts / config.n_group;
  const scores = g.op1('Sigmoid', [g.op1('MatMul', [x, routerWeight])]); // [.., E]
  const choice = g.op1('Add', [scores, correctionBias]);
  const leading = g.op1('Slice', [g.op1('Shape', [choice]), g.ints([0]), g.ints([-1])]);
  const groupedShape = g.op1('Concat', [leading, g.ints([config.n_group, perGroup])], { axis: 0 });
  const grouped = g.op1('Reshape', [choice, groupedShape]);
  const topK = (t: string, k: number) => g.op('TopK', [t, g.ints([k])], { outputs: 2, attributes: { axis: -1 } });
  const [bestTwo] = topK(grouped, 2);
  const groupScores = g.op1('ReduceSum', [bestTwo, g.ints([-1])], { keepdims: 0 }); // [.., G]
  const [keptValues, keptGroups] = topK(groupScores, config.topk_group);
  const ones = g.op1('Add', [g.op1('Mul', [keptValues, g.scalar(0)]), g.scalar(1)]);
  const zeros = g.op1('Mul', [groupScores, g.scalar(0)]);
  const groupMask = g.op1('ScatterElements', [zeros, keptGroups, ones], { axis: -1 });
  const perExpert = g.op1('Expand', [g.op1('Unsqueeze', [groupMask, g.ints([-1])]), g.op1('Shape', [grouped])]);
  const expertMask = g.op1('Reshape', [perExpert, g.op1('Shape', [choice])]);
  const [, indices] = topK(g.op1('Mul', [choice, expertMask]), config.num_experts_per_tok);
  let weights = g.op1('GatherElements', [scores, indices], { axis: -1 });
  if (config.norm_topk_prob) {
    const sum = g.op1('ReduceSum', [weights, g.ints([-1])], { keepdims: 1 });
    weights = g.op1('Div', [weights, g.op1('Add', [sum, g.scalar(1e-20)])]);
  }
  if (config.routed_scaling_factor !== 1) weights = g.op1('Mul', [weights, g.scalar(config.routed_scaling_factor)]);
  return { scores, indices, weights };
}

/** The last position of x [batch, seq, hidden] as [batch, 1, hidden]: only it needs logits. */
export function lastPosition(g: OnnxGraph, x: string): string {
  const seqLen = g.op1('Gather', [g.op1('Shape', [x]), g.ints([1])], { axis: 0 });
  return g.op1('Gather', [x, g.op1('Sub', [seqLen, g.ints([1])])], { axis: 1 });
}
