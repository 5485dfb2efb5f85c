"""Test fixtures for tests/model/*.test.ts, computed with PyTorch:

- <out>/random/{model.onnx, manifest.json}: the ls-vit-tiny architecture at random
  initialisation (torch.manual_seed(--random-seed)), the baseline the quality test beats;
- <out>/reference.{json,bin}: a few raw synthetic cutouts (one with NaN pixels), their
  preprocessed tensors (preprocess.py) and the trained model's PyTorch outputs;
- tests/fixtures/models/{astroclip-tiny,dinov2-tiny}/reference.json: PyTorch outputs of the
  tiny random-init exports for the deterministic input x[i] = 0.5 * sin(0.37 * i) (flat
  index over [1, 3, S, S]).

  /usr/bin/python3 native-models/ls-vit-tiny/make_fixtures.py --data /tmp/ls-data/heldout \
      --checkpoint native-models/ls-vit-tiny/backbone.pt --out tests/fixtures/models/ls-vit-tiny
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from export import READOUTS, Exported, export_onnx, load_model, manifest  # noqa: E402
from preprocess import preprocess  # noqa: E402
from vit import flops_per_image  # noqa: E402


def reference(args, ck_model, min_sigma) -> None:
    images = np.load(os.path.join(args.data, 'images.npy'), mmap_mode='r')
    labels = np.load(os.path.join(args.data, 'labels.npy'))
    with open(os.path.join(args.data, 'meta.json')) as f:
        meta = json.load(f)
    names = list(meta.get('classNames') or meta.get('classes'))
    picks = [int(np.flatnonzero(labels == names.index(c))[0]) for c in ('spiral', 'lens', 'ring', 'star')]
    raw = np.array(images[picks], dtype=np.float32)
    raw[0, 1, 10:14, 20:30] = np.nan          # a masked strip in r
    raw[3, 2, 0, :] = np.inf                  # a bad row in z
    x = preprocess(torch.from_numpy(raw), min_sigma)
    with torch.no_grad():
        emb, tok = Exported(ck_model, args.readout).eval()(x)
    blocks = [('raw', raw), ('preprocessed', x.numpy()), ('embedding', emb.numpy()), ('patch_tokens', tok.numpy())]
    header, offset = {}, 0
    with open(os.path.join(args.out, 'reference.bin'), 'wb') as f:
        for name, arr in blocks:
            a = np.ascontiguousarray(arr, dtype='<f4')
            f.write(a.tobytes())
            header[name] = {'offset': offset, 'shape': list(a.shape)}
            offset += a.nbytes
    with open(os.path.join(args.out, 'reference.json'), 'w') as f:
        json.dump({'about': 'float32 little-endian blocks of reference.bin, computed by native-models/ls-vit-tiny/make_fixtures.py '
                            '(PyTorch ' + torch.__version__ + ') from the trained checkpoint; raw = synthetic survey cutouts '
                            f'(data seed {meta.get("seed")}, objects {picks}) with NaN/Inf pixels added',
                   'bands': ['g', 'r', 'z'], 'labels': [names[int(labels[i])] for i in picks], 'blocks': header}, f, indent=2)
        f.write('\n')


def tiny_reference(folder: str, module, side: int) -> None:
    n = 3 * side * side
    x = (0.5 * np.sin(0.37 * np.arange(n, dtype=np.float64))).astype(np.float32).reshape(1, 3, side, side)
    with torch.no_grad():
        emb, tok = module(torch.from_numpy(x))
    out = {'about': 'PyTorch outputs for input x[i] = 0.5*sin(0.37*i) over [1,3,S,S], made by native-models/ls-vit-tiny/make_fixtures.py',
           'side': side, 'embedding': [float(v) for v in emb[0]],
           'patchTokensShape': list(tok.shape), 'patchTokensFirstRow': [float(v) for v in tok[0, 0]],
           'patchTokensLastRow': [float(v) for v in tok[0, -1]]}
    with open(os.path.join(folder, 'reference.json'), 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')


def tiny_exports(root: str) -> None:
    sys.path.insert(0, os.path.join(HERE, '..', 'export'))
    import subprocess
    for script, seed, name in (('astroclip.py', 3, 'astroclip-tiny'), ('dinov2.py', 5, 'dinov2-tiny')):
        folder = os.path.join(root, name)
        subprocess.run([sys.executable, os.path.join(HERE, '..', 'export', script), '--tiny', '--seed', str(seed), '--out', folder], check=True)
    import astroclip
    import dinov2
    torch.manual_seed(3)
    a = astroclip.AstroClipImageEncoder(astroclip.TINY).eval()
    tiny_reference(os.path.join(root, 'astroclip-tiny'), a, astroclip.SIDE)
    torch.manual_seed(5)
    cfg = dinov2.ARCHS['tiny']
    v = dinov2.DinoViT(dinov2.SIDE, dinov2.PATCH, cfg['dim'], cfg['depth'], cfg['heads'], ls_init=0.1)
    tiny_reference(os.path.join(root, 'dinov2-tiny'), dinov2.Exported(v).eval(), dinov2.SIDE)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', required=True)
    ap.add_argument('--checkpoint', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--random-seed', type=int, default=7)
    ap.add_argument('--readout', choices=sorted(READOUTS), default='cls', help='as given to export.py')
    args = ap.parse_args()
    torch.set_num_threads(1)
    model, ck = load_model(args.checkpoint)
    os.makedirs(args.out, exist_ok=True)
    reference(args, model, ck['min_sigma'])
    rand, rck = load_model(random_init=args.random_seed)
    rdir = os.path.join(args.out, 'random')
    os.makedirs(rdir, exist_ok=True)
    export_onnx(rand, os.path.join(rdir, 'model.onnx'), args.readout)
    training = dict(rck['training'], embedding=READOUTS[args.readout], parameters=sum(p.numel() for p in rand.parameters()), flopsPerImage=flops_per_image(rand))
    man = manifest('ls-vit-tiny-random', '1.0.0', 'ls-vit-tiny architecture at random initialisation (quality-test baseline).',
                   ck['min_sigma'], rand.dim, training)
    with open(os.path.join(rdir, 'manifest.json'), 'w') as f:
        json.dump(man, f, indent=2)
        f.write('\n')
    tiny_exports(os.path.dirname(os.path.abspath(args.out)))


if __name__ == '__main__':
    main()
