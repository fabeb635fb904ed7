"""A numpy forward pass of GLM-family causal LMs, written from the transformers source.

Read from huggingface/transformers (src/transformers/models/…):
  glm/modeling_glm.py          GlmForCausalLM: fused gate_up_proj MLP, q/k/v bias, partial rotary with
                               interleaved pairs (rotate_half over x[0::2], x[1::2]; cos/sin repeat_interleave).
  glm4/modeling_glm4.py        Glm4ForCausalLM: as glm, plus post_self_attn_layernorm and post_mlp_layernorm
                               applied to the attention and MLP outputs before their residual adds.
  glm4_moe/modeling_glm4_moe.py Glm4MoeForCausalLM: partial rotary with the halves convention (rotate_half
                               over the first/second half of the rotated dims); dense MLP before
                               first_k_dense_replace, then Glm4MoeMoE: sigmoid router, e_score_correction_bias
                               for the choice only, group-limited top-k, norm_topk_prob (+1e-20),
                               routed_scaling_factor, plus shared experts.
It is deliberately independent of the TypeScript graphs in kernels/src: plain loops over layers and
experts, float32 throughout, the whole sequence recomputed at every step (no KV cache).

Our own model family's `position_encoding: "2d"` (not a transformers key) is GLM's blank infilling, from
the GLM paper (Du et al., 2022, §2.2) and ChatGLM-6B's 2-D rotary: Part A (the context, up to the span's
`<sop>`) attends bidirectionally, Part B (the span) causally; token t has positions (t, 0) in Part A and
(mask position, 1 + its index in the span) in Part B; channel 0 rotates the first `rot` dims of each head,
channel 1 the next `rot` dims, each with the 1-D frequencies.
"""
import json
import os

import numpy as np

from safetensors_numpy import read_checkpoint

F32 = np.float32


def defaults(config):
    """transformers' defaults for keys a config.json may leave out (GlmConfig, Glm4Config, Glm4MoeConfig)."""
    moe = config['model_type'] == 'glm4_moe'
    out = {
        'head_dim': 128, 'partial_rotary_factor': 0.5, 'rope_theta': 10000.0, 'tie_word_embeddings': False,
        'rms_norm_eps': 1e-5 if moe else 1.5625e-7, 'attention_bias': not moe,
        'n_shared_experts': 1, 'first_k_dense_replace': 1, 'n_group': 1, 'topk_group': 1,
        'norm_topk_prob': True, 'routed_scaling_factor': 1.0,
    }
    out.update(config)
    return out


def rms_norm(x, weight, eps):
    # GlmRMSNorm: x * rsqrt(mean(x^2) + eps), then times the weight
    variance = np.mean(x * x, axis=-1, keepdims=True)
    return (weight * (x / np.sqrt(variance + F32(eps)))).astype(F32)


def silu(x):
    return x / (F32(1) + np.exp(-x))


def sigmoid(x):
    return F32(1) / (F32(1) + np.exp(-x))


def linear(x, weight, bias=None):
    y = x @ weight.T
    return y + bias if bias is not None else y


class GlmNumpy:
    """Loads a Hugging Face checkpoint folder (config.json + safetensors) and runs the causal LM."""

    def __init__(self, folder, overrides=None):
        with open(os.path.join(folder, 'config.json')) as f:
            self.c = defaults({**json.load(f), **(overrides or {})})
        self.w = {k: v.astype(F32) for k, v in read_checkpoint(folder).items()}
        c = self.c
        self.rot = int(c['head_dim'] * c['partial_rotary_factor'])
        # Glm*RotaryEmbedding.compute_default_rope_parameters, in float32 like torch
        exponent = np.arange(0, self.rot, 2, dtype=np.int64).astype(F32) / F32(self.rot)
        self.inv_freq = (F32(1.0) / (F32(c['rope_theta']) ** exponent)).astype(F32)

    def rotary(self, x, positions):
        """x [heads, seq, head_dim] → the same with its first `rot` dims rotated (apply_rotary_pos_emb);
        2-D positions [2, seq] rotate dims [0, rot) by channel 0 and [rot, 2·rot) by channel 1."""
        if positions.ndim == 1:
            return np.concatenate([self.rotate(x[..., :self.rot], positions), x[..., self.rot:]], -1)
        blocks = [self.rotate(x[..., c * self.rot:(c + 1) * self.rot], positions[c]) for c in range(2)]
        return np.concatenate(blocks + [x[..., 2 * self.rot:]], -1).astype(F32)

    def rotate(self, x_rot, positions):
        """One `rot`-wide block [heads, seq, rot] rotated by 1-D positions [seq]."""
        freqs = positions.astype(F32)[:, None] * self.inv_freq[None, :]  # [seq, rot/2]
        cos, sin = np.cos(freqs).astype(F32), np.sin(freqs).astype(F32)
        if self.c['model_type'] in ('glm', 'glm4'):
            # cos[..., :rot/2].repeat_interleave(2); rotate_half pairs (x[2i], x[2i+1]) → (-x[2i+1], x[2i])
            cos_i, sin_i = np.repeat(cos, 2, axis=-1), np.repeat(sin, 2, axis=-1)
            rotated = np.empty_like(x_rot)
            rotated[..., 0::2] = -x_rot[..., 1::2]
            rotated[..., 1::2] = x_rot[..., 0::2]
            out = x_rot * cos_i + rotated * sin_i
        else:
            # emb = cat(freqs, freqs); rotate_half = cat(-x2, x1) over the halves of the rotated dims
            cos_h, sin_h = np.concatenate([cos, cos], -1), np.concatenate([sin, sin], -1)
            half = self.rot // 2
            rotated = np.concatenate([-x_rot[..., half:], x_rot[..., :half]], -1)
            out = x_rot * cos_h + rotated * sin_h
        return out.astype(F32)

    def attention(self, i, x, positions, span_start=0):
        c, w, p = self.c, self.w, f'model.layers.{i}.self_attn.'
        seq, d = x.shape[0], c['head_dim']
        nh, kvh = c['num_attention_heads'], c['num_key_value_heads']
        bias = (lambda n: w[p + n + '.bias']) if c['attention_bias'] else (lambda n: None)
        q = linear(x, w[p + 'q_proj.weight'], bias('q_proj')).reshape(seq, nh, d)
        k = linear(x, w[p + 'k_proj.weight'], bias('k_proj')).reshape(seq, kvh, d)
        if c.get('use_qk_norm', False):  # Glm4MoeAttention: q_norm / k_norm over head_dim, before the transpose
            q = rms_norm(q, w[p + 'q_norm.weight'], c['rms_norm_eps'])
            k = rms_norm(k, w[p + 'k_norm.weight'], c['rms_norm_eps'])
        q, k = q.transpose(1, 0, 2), k.transpose(1, 0, 2)
        v = linear(x, w[p + 'v_proj.weight'], bias('v_proj')).reshape(seq, kvh, d).transpose(1, 0, 2)
        q, k = self.rotary(q, positions), self.rotary(k, positions)
        k, v = np.repeat(k, nh // kvh, axis=0), np.repeat(v, nh // kvh, axis=0)  # repeat_kv
        scores = (q @ k.transpose(0, 2, 1)) * F32(d ** -0.5)
        blocked = np.triu(np.ones((seq, seq), dtype=bool), 1)  # causal mask
        blocked[:, :span_start] = False  # blank infilling: every query sees the whole context (Part A)
        scores = np.where(blocked, F32(-np.inf), scores)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        probs = scores / scores.sum(-1, keepdims=True)
        out = (probs @ v).transpose(1, 0, 2).reshape(seq, nh * d)
        return linear(out, w[p + 'o_proj.weight'])

    def mlp(self, prefix, x):
        w = self.w
        if prefix + 'gate_up_proj.weight' in w:  # GlmMLP / Glm4MLP: chunk(2) → gate, up
            gate, up = np.split(linear(x, w[prefix + 'gate_up_proj.weight']), 2, axis=-1)
        else:  # Glm4MoeMLP
            gate, up = linear(x, w[prefix + 'gate_proj.weight']), linear(x, w[prefix + 'up_proj.weight'])
        return linear(up * silu(gate), w[prefix + 'down_proj.weight'])

    def route(self, i, x):
        """Glm4MoeMoE.route_tokens_to_experts for each token of x: (indices [seq, k], weights [seq, k])."""
        c, p = self.c, f'model.layers.{i}.mlp.gate.'
        n, groups, k = c['n_routed_experts'], c['n_group'], c['num_experts_per_tok']
        scores = sigmoid(linear(x, self.w[p + 'weight']))
        choice = scores + self.w[p + 'e_score_correction_bias']
        indices, weights = [], []
        for t in range(x.shape[0]):
            grouped = choice[t].reshape(groups, n // groups)
            group_scores = np.sort(grouped, axis=-1)[:, -2:].sum(-1)
            kept = np.argsort(-group_scores, kind='stable')[:c['topk_group']]
            mask = np.zeros(groups, dtype=bool)
            mask[kept] = True
            masked = np.where(np.repeat(mask, n // groups), choice[t], F32(0))
            top = np.argsort(-masked, kind='stable')[:k]
            wt = scores[t, top]
            if c['norm_topk_prob']:
                wt = wt / (wt.sum() + F32(1e-20))
            indices.append(top)
            weights.append((wt * F32(c['routed_scaling_factor'])).astype(F32))
        return np.array(indices), np.array(weights)

    def moe(self, i, x):
        c, p = self.c, f'model.layers.{i}.mlp.'
        indices, weights = self.route(i, x)
        out = np.zeros_like(x)
        for t in range(x.shape[0]):
            for e, wt in zip(indices[t], weights[t]):
                out[t] += wt * self.mlp(f'{p}experts.{e}.', x[t:t + 1])[0]
        if c['n_shared_experts'] > 0:
            out = out + self.mlp(p + 'shared_experts.', x)
        return out

    def forward(self, ids, blank=None):
        """Logits [seq, vocab] for a sequence of ids (positions 0…seq-1). With `position_encoding: "2d"`,
        `blank` = (mask position, span start) makes it blank infilling; None is plain text."""
        c, w = self.c, self.w
        eps = c['rms_norm_eps']
        positions, span_start = np.arange(len(ids)), 0
        if c.get('position_encoding') == '2d':
            mask_position, span_start = blank if blank is not None else (0, 0)
            t = np.arange(len(ids))
            in_span = t >= span_start
            positions = np.stack([np.where(in_span, mask_position, t), np.where(in_span, t - span_start + 1, 0)])
        x = w['model.embed_tokens.weight'][np.array(ids)]
        for i in range(c['num_hidden_layers']):
            p = f'model.layers.{i}.'
            h = self.attention(i, rms_norm(x, w[p + 'input_layernorm.weight'], eps), positions, span_start)
            if c['model_type'] == 'glm4':
                h = rms_norm(h, w[p + 'post_self_attn_layernorm.weight'], eps)
            x = x + h
            h = rms_norm(x, w[p + 'post_attention_layernorm.weight'], eps)
            moe = c['model_type'] == 'glm4_moe' and i >= c['first_k_dense_replace']
            h = self.moe(i, h) if moe else self.mlp(p + 'mlp.', h)
            if c['model_type'] == 'glm4':
                h = rms_norm(h, w[p + 'post_mlp_layernorm.weight'], eps)
            x = x + h
        x = rms_norm(x, w['model.norm.weight'], eps)
        head = w['model.embed_tokens.weight'] if c['tie_word_embeddings'] else w['lm_head.weight']
        return linear(x, head).astype(F32)

    def greedy(self, ids, max_tokens, blank=None):
        """(continuation ids, logits of the last prompt position, smallest top-1/top-2 margin seen)."""
        ids, out, first, margin = list(ids), [], None, np.inf
        for _ in range(max_tokens):
            logits = self.forward(ids, blank)[-1]
            first = logits if first is None else first
            top2 = np.sort(logits)[-2:]
            margin = min(margin, float(top2[1] - top2[0]))
            nxt = int(np.argmax(logits))
            out.append(nxt)
            ids.append(nxt)
        return out, first, margin
