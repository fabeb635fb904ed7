"""Writes tiny random GLM checkpoints with REAL tensor names and config keys, and what the numpy
reference (glm_numpy.py, written from the transformers source) says they compute.

    python3 kernels/reference/make_fixtures.py      # numpy only; rewrites kernels/reference/fixtures/

One folder per architecture — glm (GLM-4-9B-chat-hf layout, 2 shards + index), glm4 (GLM-4-0414,
tied embeddings, BF16), glm4_moe (GLM-4.5: dense first layer, 8 sigmoid-routed experts in 2 groups,
a shared expert, qk norm, F16 with an F32 correction bias, an unused multi-token-prediction layer) —
each with config.json, safetensors and expected.json: the prompt, the greedy continuation and the
last prompt position's logits. Seeds are fixed; the same run writes the same bytes.

glm and glm4_moe (the two rotary conventions) also get expected_2d.json: what the same weights compute
as our own family's GLM blank infilling (`position_encoding: "2d"`, see glm_numpy.py) for BLANK_PROMPT,
whose blank and span start are given as positions (these vocabularies have no special tokens).
"""
import json
import os
import shutil

import numpy as np

from glm_numpy import GlmNumpy
from safetensors_numpy import write_safetensors

HERE = os.path.dirname(os.path.abspath(__file__))
PROMPT = [3, 17, 42, 99, 5, 64, 120, 7]
MAX_TOKENS = 8
# Context 3 17 42 [blank] 99 64 120, then the span start; ids 9 and 10 stand for [MASK] and <sop>.
BLANK_PROMPT = [3, 17, 42, 9, 99, 64, 120, 10]
BLANK = (3, 7)  # (mask position, span start)

COMMON = {
    'vocab_size': 128, 'hidden_size': 32, 'num_hidden_layers': 2, 'num_attention_heads': 2,
    'num_key_value_heads': 1, 'head_dim': 32, 'intermediate_size': 64, 'max_position_embeddings': 256,
    'partial_rotary_factor': 0.5, 'rope_theta': 10000.0, 'hidden_act': 'silu', 'attention_dropout': 0.0,
    'initializer_range': 0.02, 'use_cache': True, 'torch_dtype': 'float32', 'transformers_version': '4.56.0',
    'pad_token_id': 0, 'eos_token_id': [1, 2],
}

CONFIGS = {
    'glm': {**COMMON, 'architectures': ['GlmForCausalLM'], 'model_type': 'glm', 'attention_bias': True,
            'rms_norm_eps': 1.5625e-07, 'tie_word_embeddings': False},
    'glm4': {**COMMON, 'architectures': ['Glm4ForCausalLM'], 'model_type': 'glm4', 'attention_bias': True,
             'rms_norm_eps': 1e-05, 'tie_word_embeddings': True, 'torch_dtype': 'bfloat16'},
    'glm4_moe': {**COMMON, 'architectures': ['Glm4MoeForCausalLM'], 'model_type': 'glm4_moe', 'attention_bias': True,
                 'rms_norm_eps': 1e-05, 'tie_word_embeddings': False, 'torch_dtype': 'float16',
                 'n_routed_experts': 8, 'n_shared_experts': 1, 'num_experts_per_tok': 2, 'moe_intermediate_size': 16,
                 'first_k_dense_replace': 1, 'n_group': 2, 'topk_group': 1, 'norm_topk_prob': True,
                 'routed_scaling_factor': 2.5, 'use_qk_norm': True, 'rope_scaling': None,
                 'num_nextn_predict_layers': 1},
}
DTYPE = {'glm': 'F32', 'glm4': 'BF16', 'glm4_moe': 'F16'}


def weights(c, rng):
    h, d = c['hidden_size'], c['head_dim']
    q, kv = c['num_attention_heads'] * d, c['num_key_value_heads'] * d
    mat = lambda rows, cols, scale=1.0: (rng.standard_normal((rows, cols)) * scale / np.sqrt(cols)).astype(np.float32)
    norm = lambda n: (1 + rng.uniform(-0.1, 0.1, n)).astype(np.float32)
    vec = lambda n, s=0.1: rng.uniform(-s, s, n).astype(np.float32)
    t = {'model.embed_tokens.weight': rng.standard_normal((c['vocab_size'], h)).astype(np.float32)}
    for i in range(c['num_hidden_layers']):
        p = f'model.layers.{i}.'
        t[p + 'input_layernorm.weight'] = norm(h)
        for name, rows in (('q', q), ('k', kv), ('v', kv)):
            t[p + f'self_attn.{name}_proj.weight'] = mat(rows, h)
            if c['attention_bias']:
                t[p + f'self_attn.{name}_proj.bias'] = vec(rows)
        if c.get('use_qk_norm'):
            t[p + 'self_attn.q_norm.weight'] = norm(d)
            t[p + 'self_attn.k_norm.weight'] = norm(d)
        t[p + 'self_attn.o_proj.weight'] = mat(h, q)
        t[p + 'post_attention_layernorm.weight'] = norm(h)
        if c['model_type'] == 'glm4':
            t[p + 'post_self_attn_layernorm.weight'] = norm(h)
            t[p + 'post_mlp_layernorm.weight'] = norm(h)
        if c['model_type'] in ('glm', 'glm4'):
            t[p + 'mlp.gate_up_proj.weight'] = mat(2 * c['intermediate_size'], h)
            t[p + 'mlp.down_proj.weight'] = mat(h, c['intermediate_size'])
        elif i < c['first_k_dense_replace']:
            for name, shape in (('gate', (c['intermediate_size'], h)), ('up', (c['intermediate_size'], h)),
                                ('down', (h, c['intermediate_size']))):
                t[p + f'mlp.{name}_proj.weight'] = mat(*shape)
        else:
            inter = c['moe_intermediate_size']
            t[p + 'mlp.gate.weight'] = mat(c['n_routed_experts'], h, 3.0)
            t[p + 'mlp.gate.e_score_correction_bias'] = vec(c['n_routed_experts'], 0.05)
            experts = [f'experts.{e}.' for e in range(c['n_routed_experts'])]
            for prefix, size in [(e, inter) for e in experts] + [('shared_experts.', inter * c['n_shared_experts'])]:
                t[p + f'mlp.{prefix}gate_proj.weight'] = mat(size, h)
                t[p + f'mlp.{prefix}up_proj.weight'] = mat(size, h)
                t[p + f'mlp.{prefix}down_proj.weight'] = mat(h, size)
    t['model.norm.weight'] = norm(h)
    if not c['tie_word_embeddings']:
        t['lm_head.weight'] = mat(c['vocab_size'], h, 4.0)
    for j in range(c.get('num_nextn_predict_layers', 0)):  # GLM-4.5's MTP layer: stored, never used
        p = f"model.layers.{c['num_hidden_layers'] + j}."
        t[p + 'eh_proj.weight'] = mat(h, 2 * h)
        t[p + 'enorm.weight'] = norm(h)
        t[p + 'hnorm.weight'] = norm(h)
    return t


def write(name, seed):
    c = CONFIGS[name]
    folder = os.path.join(HERE, 'fixtures', name)
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    with open(os.path.join(folder, 'config.json'), 'w') as f:
        json.dump(c, f, indent=2)
        f.write('\n')
    tensors = weights(c, np.random.default_rng(seed))
    # GLM-4.5 keeps the correction bias in float32 whatever the checkpoint's dtype
    dtype_of = lambda n: 'F32' if n.endswith('e_score_correction_bias') else DTYPE[name]
    if name == 'glm':  # two shards and an index, as large checkpoints come
        names = list(tensors)
        shards = {'model-00001-of-00002.safetensors': names[: len(names) // 2],
                  'model-00002-of-00002.safetensors': names[len(names) // 2:]}
        for shard, members in shards.items():
            write_safetensors(os.path.join(folder, shard), {n: tensors[n] for n in members}, dtype_of, {'format': 'pt'})
        index = {'metadata': {'total_size': sum(v.nbytes for v in tensors.values())},
                 'weight_map': {n: s for s, members in shards.items() for n in members}}
        with open(os.path.join(folder, 'model.safetensors.index.json'), 'w') as f:
            json.dump(index, f, indent=2)
    else:
        write_safetensors(os.path.join(folder, 'model.safetensors'), tensors, dtype_of, {'format': 'pt'})
    ids, logits, margin = GlmNumpy(folder).greedy(PROMPT, MAX_TOKENS)
    return folder, ids, logits, margin


def main():
    for name in CONFIGS:
        # A seed whose greedy path never has a near tie, so ids compare exactly across implementations.
        for seed in range(100):
            folder, ids, logits, margin = write(name, seed)
            if margin > 1e-2 and len(set(ids)) >= 3:
                break
        expected = {'source': 'numpy reference (kernels/reference/glm_numpy.py)', 'seed': seed, 'prompt': PROMPT,
                    'max_tokens': MAX_TOKENS, 'ids': ids, 'logits': [float(v) for v in logits], 'margin': margin}
        with open(os.path.join(folder, 'expected.json'), 'w') as f:
            json.dump(expected, f)
            f.write('\n')
        print(f'{name}: seed {seed}, ids {ids}, min top-2 margin {margin:.4f}')
        if name in ('glm', 'glm4_moe'):
            write_blank(name, folder)


def write_blank(name, folder):
    ids, logits, margin = GlmNumpy(folder, {'position_encoding': '2d'}).greedy(BLANK_PROMPT, MAX_TOKENS, BLANK)
    expected = {'source': 'numpy reference (kernels/reference/glm_numpy.py)', 'position_encoding': '2d',
                'prompt': BLANK_PROMPT, 'mask_position': BLANK[0], 'span_start': BLANK[1], 'max_tokens': MAX_TOKENS,
                'ids': ids, 'logits': [float(v) for v in logits], 'margin': margin}
    with open(os.path.join(folder, 'expected_2d.json'), 'w') as f:
        json.dump(expected, f)
        f.write('\n')
    print(f'{name} (2d blank infilling): ids {ids}, min top-2 margin {margin:.4f}')


if __name__ == '__main__':
    main()
