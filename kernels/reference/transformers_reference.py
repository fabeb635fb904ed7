"""The fixtures checked against transformers itself, for a machine with torch and transformers.

    python3 kernels/reference/transformers_reference.py [--write]

For each checkpoint in kernels/reference/fixtures (written by make_fixtures.py), builds the model
from its config.json alone (AutoConfig + AutoModelForCausalLM.from_config: nothing is downloaded),
loads the safetensors weights into it, and runs the prompt of expected.json in float32 on CPU:
last-position logits of the prompt and a greedy continuation, both with full recomputation and
with transformers' own KV cache (model.generate). It prints the largest difference from
expected.json (the numpy reference) and exits 1 if the ids differ or the logits differ by 1e-4 or
more. With --write it also saves transformers_expected.json beside each expected.json, the
numbers the TypeScript spec can then be pointed at.

Weights are matched to the model by name. Where a transformers version stores a module's tensors
differently from the checkpoint (transformers 5 keeps GLM-4.5's experts as stacked
`mlp.experts.gate_up_proj` [E, 2I, H] and `mlp.experts.down_proj` [E, H, I]; glm/glm4 keep a fused
`gate_up_proj`), the checkpoint tensors are stacked or split to the model's layout; anything left
unmatched is an error.
"""
import json
import os
import re
import sys

import numpy as np
import torch
from transformers import AutoConfig, AutoModelForCausalLM

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from safetensors_numpy import read_checkpoint  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, 'fixtures')


def unused(name, config):
    """GLM-4.5's multi-token-prediction layers sit after the last layer and are not part of the model."""
    m = re.match(r'model\.layers\.(\d+)\.', name)
    return bool(m) and int(m.group(1)) >= config.num_hidden_layers


def to_model_layout(model, checkpoint, config):
    state = model.state_dict()
    tensors = {k: torch.from_numpy(np.array(v, dtype=np.float32)) for k, v in checkpoint.items() if not unused(k, config)}
    out, used = {}, set()
    for key, target in state.items():
        if key in tensors:
            out[key] = tensors[key]
            used.add(key)
            continue
        m = re.match(r'(.*\.mlp\.experts)\.(gate_up_proj|down_proj)$', key)
        if m:  # stacked experts (transformers 5)
            prefix, kind = m.groups()
            parts = []
            for e in range(target.shape[0]):
                if kind == 'gate_up_proj':
                    names = [f'{prefix}.{e}.gate_proj.weight', f'{prefix}.{e}.up_proj.weight']
                    parts.append(torch.cat([tensors[n] for n in names], 0))
                else:
                    names = [f'{prefix}.{e}.down_proj.weight']
                    parts.append(tensors[names[0]])
                used.update(names)
            stacked = torch.stack(parts)
            if stacked.shape != target.shape:  # some versions keep [E, H, 2I]
                stacked = stacked.transpose(1, 2)
            out[key] = stacked
            continue
        m = re.match(r'(.*\.mlp)\.(gate|up)_proj\.weight$', key)
        if m and f'{m.group(1)}.gate_up_proj.weight' in tensors:  # fused in the checkpoint, split in the model
            fused = f'{m.group(1)}.gate_up_proj.weight'
            gate, up = torch.chunk(tensors[fused], 2, 0)
            out[key] = gate if m.group(2) == 'gate' else up
            used.add(fused)
            continue
        if key == 'lm_head.weight' and config.tie_word_embeddings:
            out[key] = tensors['model.embed_tokens.weight']
            continue
        raise KeyError(f'the model has {key} {tuple(target.shape)} and the checkpoint nothing for it')
    left = sorted(set(tensors) - used)
    if left:
        raise KeyError(f'checkpoint tensors the model does not use: {left[:10]}')
    return out


def run(name, write):
    folder = os.path.join(FIXTURES, name)
    with open(os.path.join(folder, 'expected.json')) as f:
        expected = json.load(f)
    config = AutoConfig.from_pretrained(folder)
    try:  # transformers 5 names it dtype; 4.x torch_dtype
        model = AutoModelForCausalLM.from_config(config, dtype=torch.float32, attn_implementation='eager')
    except TypeError:
        model = AutoModelForCausalLM.from_config(config, torch_dtype=torch.float32, attn_implementation='eager')
    model = model.float()
    model.load_state_dict(to_model_layout(model, read_checkpoint(folder), config), strict=True)
    model.eval()
    prompt = expected['prompt']
    with torch.no_grad():
        ids, first = list(prompt), None
        for _ in range(expected['max_tokens']):  # full recomputation
            logits = model(torch.tensor([ids])).logits[0, -1]
            first = logits if first is None else first
            ids.append(int(torch.argmax(logits)))
        recomputed = ids[len(prompt):]
        cached = model.generate(torch.tensor([prompt]), max_new_tokens=expected['max_tokens'], min_new_tokens=expected['max_tokens'],
                                do_sample=False, eos_token_id=None, pad_token_id=0)[0, len(prompt):].tolist()
    diff = float(np.max(np.abs(first.numpy() - np.array(expected['logits'], dtype=np.float32))))
    ok = recomputed == expected['ids'] and cached == expected['ids'] and diff < 1e-4
    print(f"{name}: ids {recomputed} (cached {cached}) vs numpy {expected['ids']}; max |logits diff| {diff:.2e} -> {'ok' if ok else 'MISMATCH'}")
    if write:
        with open(os.path.join(folder, 'transformers_expected.json'), 'w') as f:
            json.dump({**expected, 'source': f'transformers (torch {torch.__version__})', 'ids': recomputed,
                       'logits': [float(v) for v in first.numpy()]}, f)
            f.write('\n')
    return ok


def main():
    torch.manual_seed(0)
    results = [run(name, '--write' in sys.argv) for name in sorted(os.listdir(FIXTURES))]
    sys.exit(0 if all(results) else 1)


if __name__ == '__main__':
    main()
