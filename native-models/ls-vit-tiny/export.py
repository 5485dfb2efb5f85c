"""Export a trained ls-vit-tiny checkpoint to a Latent Sky model package:
model.onnx (opset 17, dynamic batch; outputs 'embedding' [B, D] (--readout:
final-norm CLS token, mean patch token, or their sum) and 'patch_tokens' [B, 64, D] = final-norm patch tokens, row-major
8x8 grid in the input's pixel order) + manifest.json (app/encoder/manifest.ts).

  /usr/bin/python3 native-models/ls-vit-tiny/export.py \
      --checkpoint native-models/ls-vit-tiny/backbone.pt --out native-models/ls-vit-tiny
  /usr/bin/python3 native-models/ls-vit-tiny/export.py --random-init 7 \
      --out tests/fixtures/models/ls-vit-tiny-random      # same architecture, untrained
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from preprocess import manifest_steps  # noqa: E402
from train import CONFIG  # noqa: E402
from vit import build, flops_per_image  # noqa: E402

INPUT = 'image'


READOUTS = {
    'cls': 'final-norm CLS token',
    'mean': 'mean of the final-norm patch tokens',
    'cls+mean': 'final-norm CLS token + mean of the final-norm patch tokens',
}


class Exported(nn.Module):
    """x -> (embedding [B, D], patch_tokens [B, 64, D]); `readout` picks the embedding."""

    def __init__(self, vit: nn.Module, readout: str = 'cls'):
        super().__init__()
        self.vit = vit
        self.readout = readout

    def forward(self, x):
        t = self.vit.forward_tokens(x)
        patches = t[:, 1:]
        if self.readout == 'cls':
            return t[:, 0], patches
        if self.readout == 'mean':
            return patches.mean(dim=1), patches
        return t[:, 0] + patches.mean(dim=1), patches


def load_model(checkpoint: str = None, random_init: int = None):
    if checkpoint:
        ck = torch.load(checkpoint, map_location='cpu')
        model = build(ck['config'])
        model.load_state_dict(ck['state_dict'])
        return model.eval(), ck
    torch.manual_seed(random_init)
    model = build(CONFIG).eval()
    return model, {'config': CONFIG, 'min_sigma': None,
                   'training': {'note': f'untrained: random initialisation, torch.manual_seed({random_init})'}}


def export_onnx(model: nn.Module, path: str, readout: str = 'cls') -> None:
    x = torch.zeros(2, 3, 64, 64)
    torch.onnx.export(Exported(model, readout).eval(), x, path, input_names=[INPUT], output_names=['embedding', 'patch_tokens'],
                      dynamic_axes={INPUT: {0: 'batch'}, 'embedding': {0: 'batch'}, 'patch_tokens': {0: 'batch'}},
                      opset_version=17, do_constant_folding=True)
    m = onnx.load(path)
    onnx.checker.check_model(m)


def manifest(name: str, version: str, description: str, min_sigma, dim: int, training: dict) -> dict:
    return {
        'format': 'latent-sky-model', 'formatVersion': 1, 'name': name, 'version': version, 'licence': 'MIT',
        'description': description, 'file': 'model.onnx',
        'input': {'name': INPUT, 'shape': ['batch', 3, 64, 64], 'dtype': 'float32'},
        'bands': ['g', 'r', 'z'], 'pixscale': 0.262, 'preprocess': manifest_steps(min_sigma),
        'outputs': {'embedding': {'name': 'embedding', 'dim': dim},
                    'patchTokens': {'name': 'patch_tokens', 'dim': dim, 'grid': [8, 8]}},
        'metric': 'cosine', 'training': training,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--checkpoint')
    ap.add_argument('--random-init', type=int)
    ap.add_argument('--min-sigma', type=float, nargs=3, help='floor for sky_asinh when not in the checkpoint')
    ap.add_argument('--readout', choices=sorted(READOUTS), default='cls', help='what the embedding output is')
    ap.add_argument('--out', required=True)
    args = ap.parse_args()
    model, ck = load_model(args.checkpoint, args.random_init)
    min_sigma = ck.get('min_sigma') or args.min_sigma
    if min_sigma is None:
        sys.exit('--min-sigma is required with --random-init')
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, 'model.onnx')
    export_onnx(model, path, args.readout)
    nparams = sum(p.numel() for p in model.parameters())
    training = dict(ck.get('training', {}))
    training.update({'parameters': nparams, 'flopsPerImage': flops_per_image(model),
                     'architecture': dict(ck['config'], embedding=READOUTS[args.readout])})
    trained = args.checkpoint is not None
    name = 'ls-vit-tiny' if trained else 'ls-vit-tiny-random'
    desc = ('Latent Sky default encoder: a 4-block ViT (patch 8, dim 128) trained self-supervised '
            '(global + masked dense contrastive) on the synthetic g,r,z survey.' if trained else
            'ls-vit-tiny architecture at random initialisation (a baseline and test fixture).')
    man = manifest(name, '1.0.0', desc, min_sigma, model.dim, training)
    with open(os.path.join(args.out, 'manifest.json'), 'w') as f:
        json.dump(man, f, indent=2)
        f.write('\n')
    print(f'{path}: {os.path.getsize(path)} bytes, {nparams} parameters, '
          f'{flops_per_image(model) / 1e6:.1f} MFLOP/image')


if __name__ == '__main__':
    main()
