"""PyTorch reference for tests/model/ls-vit-lsb-onnx.test.ts: a few raw cutouts,
their preprocessed tensors and the checkpoint's PyTorch outputs, which the
committed fp32 and int8 ONNX exports must reproduce through onnxruntime-node.

raw = 2 synthetic flux cutouts (one with a NaN strip, one with an Inf row) and
2 synthetic 8-bit photographs of other cutouts (augment.photograph, the
folder importer's PNG/JPEG unit 'u8'), so both input paths are covered.

  /usr/bin/python3 native-models/ls-vit-lsb/make_fixtures.py --data /tmp/enc-data/heldout \
      --checkpoint native-models/ls-vit-lsb/backbone.pt --out tests/fixtures/models/ls-vit-lsb
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.join(HERE, '..', 'ls-vit-tiny'))
from augment import photograph  # noqa: E402
from preprocess import preprocess, sky_sigma  # noqa: E402
from vit import build  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', required=True)
    ap.add_argument('--checkpoint', required=True)
    ap.add_argument('--readout', default='cls', choices=['cls'])
    ap.add_argument('--out', required=True)
    args = ap.parse_args()
    torch.set_num_threads(1)
    ck = torch.load(args.checkpoint, map_location='cpu')
    model = build(ck['config']).eval()
    model.load_state_dict(ck['state_dict'])
    k = float(ck['sky_k'])
    images = np.load(os.path.join(args.data, 'images.npy'), mmap_mode='r')
    labels = np.load(os.path.join(args.data, 'labels.npy'))
    with open(os.path.join(args.data, 'meta.json')) as f:
        meta = json.load(f)
    names = list(meta['classes'])
    picks = [int(np.flatnonzero(labels == names.index(c))[0]) for c in ('spiral', 'lens', 'tidal', 'merger')]
    raw = np.array(images[picks], dtype=np.float32)
    g = torch.Generator().manual_seed(5)
    photo = photograph(torch.from_numpy(raw[2:]), sky_sigma(torch.from_numpy(raw[2:])).float(), g).numpy()
    raw[2:] = photo
    raw[0, 1, 10:14, 20:30] = np.nan
    raw[1, 2, 0, :] = np.inf
    x = preprocess(torch.from_numpy(raw), ck['min_sigma'], k)
    with torch.no_grad():
        t = model.forward_tokens(x)
    blocks = [('raw', raw), ('preprocessed', x.numpy()), ('embedding', t[:, 0].numpy()), ('patch_tokens', t[:, 1:].numpy())]
    os.makedirs(args.out, exist_ok=True)
    header, offset = {}, 0
    with open(os.path.join(args.out, 'reference.bin'), 'wb') as f:
        for name, arr in blocks:
            a = np.ascontiguousarray(arr, dtype='<f4')
            f.write(a.tobytes())
            header[name] = {'offset': offset, 'shape': list(a.shape)}
            offset += a.nbytes
    with open(os.path.join(args.out, 'reference.json'), 'w') as f:
        json.dump({'about': 'float32 little-endian blocks of reference.bin, computed by native-models/ls-vit-lsb/make_fixtures.py '
                            f'(PyTorch {torch.__version__}) from the trained checkpoint; raw = synthetic survey cutouts (data seed '
                            f'{meta.get("seed")}, objects {picks}); rows 2-3 turned into 8-bit photographs (augment.photograph, seed 5); '
                            'NaN/Inf pixels added to rows 0-1',
                   'bands': ['g', 'r', 'z'], 'units': ['nanomaggies', 'nanomaggies', 'u8', 'u8'],
                   'labels': [names[int(labels[i])] for i in picks], 'blocks': header}, f, indent=2)
        f.write('\n')
    print(f'make_fixtures: {args.out}/reference.{{json,bin}} ({offset} bytes)')


if __name__ == '__main__':
    main()
