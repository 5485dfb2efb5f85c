"""Export a trained ls-vit-lsb checkpoint to two Latent Sky model packages:
  OUT/model.onnx + OUT/manifest.json               fp32 (opset 17, dynamic batch)
  OUT-int8/model.onnx + OUT-int8/manifest.json     int8 weights, dynamic quantisation (quantize.py)
Outputs as ls-vit-tiny: 'embedding' [B, D] (--readout) and 'patch_tokens' [B, 64, D].
The manifest's preprocessing is ls-vit-tiny's with the checkpoint's sky_asinh k.

  /usr/bin/python3 native-models/ls-vit-lsb/export.py --checkpoint native-models/ls-vit-lsb/backbone.pt \
      --out native-models/ls-vit-lsb
"""
import argparse
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.join(HERE, '..', 'ls-vit-tiny'))
import importlib.util  # noqa: E402
from quantize import quantize  # noqa: E402
from preprocess import manifest_steps  # noqa: E402
from vit import build, flops_per_image  # noqa: E402

_spec = importlib.util.spec_from_file_location('tiny_export', os.path.join(HERE, '..', 'ls-vit-tiny', 'export.py'))
_tiny = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_tiny)
READOUTS, export_onnx, manifest = _tiny.READOUTS, _tiny.export_onnx, _tiny.manifest

DESCRIPTION = ('Latent Sky encoder ls-vit-lsb: the 4-block ViT of ls-vit-tiny (patch 8, dim 128), warm-started from it and '
               'trained self-supervised (global + masked dense contrastive + masked-patch pixel prediction) with a '
               'low-surface-brightness stretch (sky_asinh k = 1) and real-image augmentations (pixel scales 0.1-1"/px, '
               'Moffat PSFs, 8-bit RGB/JPEG photographs) on pairs drawn from 200,000 synthetic g,r,z stamps '
               '(48,000 pairs in the CPU time-box).')


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--checkpoint', required=True)
    ap.add_argument('--readout', choices=sorted(READOUTS), default='cls')
    ap.add_argument('--name', default='ls-vit-lsb')
    ap.add_argument('--version', default='1.0.0')
    ap.add_argument('--out', required=True)
    args = ap.parse_args()
    ck = torch.load(args.checkpoint, map_location='cpu')
    model = build(ck['config']).eval()
    model.load_state_dict(ck['state_dict'])
    k = float(ck.get('sky_k', 3.0))
    training = dict(ck['training'])
    training['parameters'] = sum(p.numel() for p in model.parameters())
    training['flopsPerImage'] = flops_per_image(model)
    training['architecture'] = {**ck['config'], 'embedding': READOUTS[args.readout]}
    for out, suffix, desc in ((args.out, '', DESCRIPTION), (args.out.rstrip('/') + '-int8', '-int8',
                                                            DESCRIPTION + ' int8 weights (dynamic quantisation of every weight MatMul).')):
        os.makedirs(out, exist_ok=True)
        path = os.path.join(out, 'model.onnx')
        export_onnx(model, path, args.readout)
        if suffix:
            quantize(path, path)
        man = manifest(args.name + suffix, args.version, desc, ck['min_sigma'], ck['config']['dim'], training)
        man['preprocess'] = manifest_steps(ck['min_sigma'], k)
        with open(os.path.join(out, 'manifest.json'), 'w') as f:
            json.dump(man, f, indent=2)
            f.write('\n')
        print(f'export: {path} ({os.path.getsize(path) / 1e6:.2f} MB), sky_asinh k = {k}, readout {args.readout}')


if __name__ == '__main__':
    main()
