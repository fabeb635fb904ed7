"""safetensors read and written by hand with numpy: 8-byte little-endian header length, JSON header,
raw little-endian data. BF16 is kept as the upper half of a float32."""
import json
import os
import struct

import numpy as np

DTYPES = {'F32': np.float32, 'F16': np.float16}


def to_dtype(array, dtype):
    """The raw bytes of `array` (float32) in a safetensors dtype (BF16 by truncation toward round-to-nearest-even)."""
    a = np.ascontiguousarray(array, dtype=np.float32)
    if dtype == 'BF16':
        bits = a.view(np.uint32).astype(np.uint64)
        rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
        return rounded.astype(np.uint16).tobytes()
    return a.astype(DTYPES[dtype]).tobytes()


def from_bytes(raw, dtype, shape):
    if dtype == 'BF16':
        return (np.frombuffer(raw, dtype=np.uint16).astype(np.uint32) << 16).view(np.float32).reshape(shape)
    return np.frombuffer(raw, dtype=DTYPES[dtype]).astype(np.float32).reshape(shape)


def write_safetensors(path, tensors, dtype_of=lambda name: 'F32', metadata=None):
    """tensors: {name: float32 array}; dtype_of(name) picks each tensor's stored dtype."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header['__metadata__'] = metadata
    for name, array in tensors.items():
        dtype = dtype_of(name)
        raw = to_dtype(array, dtype)
        header[name] = {'dtype': dtype, 'shape': list(array.shape), 'data_offsets': [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(',', ':'))
    text += ' ' * ((8 - (8 + len(text)) % 8) % 8)  # data 8-byte aligned
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text.encode())
        for raw in blobs:
            f.write(raw)


def read_safetensors(path):
    with open(path, 'rb') as f:
        (length,) = struct.unpack('<Q', f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    out = {}
    for name, entry in header.items():
        if name == '__metadata__':
            continue
        begin, end = entry['data_offsets']
        out[name] = from_bytes(data[begin:end], entry['dtype'], entry['shape'])
    return out


def read_checkpoint(folder):
    """Every tensor of a checkpoint folder: model.safetensors, or the shards its index names."""
    index = os.path.join(folder, 'model.safetensors.index.json')
    if os.path.exists(index):
        with open(index) as f:
            files = sorted(set(json.load(f)['weight_map'].values()))
    else:
        files = ['model.safetensors']
    tensors = {}
    for name in files:
        tensors.update(read_safetensors(os.path.join(folder, name)))
    return tensors
