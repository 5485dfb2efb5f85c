"""Export a plain DINOv2 ViT (facebookresearch/dinov2) to a Latent Sky model package.

Outputs: 'embedding' = the final-norm CLS token [B, D]; 'patch_tokens' = the
final-norm patch tokens [B, (224/14)^2, D] on the 16x16 grid (register tokens,
if any, are dropped). Position embeddings of a checkpoint trained at another
resolution (official: 37x37 for 518 px) are resized bicubically once, at export.

Input: --input grz (default; survey flux cutouts): g,r,z -> Legacy Survey RGB
transform (z,r,g -> R,G,B, values in [0,1]) -> resize 224 -> ImageNet mean/std;
--input rgb (8-bit images imported with bands R,G,B): /255 -> resize -> mean/std.

  /usr/bin/python3 native-models/export/dinov2.py --arch vits14 --checkpoint dinov2_vits14_pretrain.pth --out native-models/dinov2-vits14
  /usr/bin/python3 native-models/export/dinov2.py --tiny --seed 5 --out tests/fixtures/models/dinov2-tiny
"""
import argparse
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from package import count_params, export_package  # noqa: E402
from vit_dinov2 import DinoViT, load_strict, normalize_keys, read_checkpoint  # noqa: E402

SIDE, PATCH = 224, 14
ARCHS = {
    'vits14': dict(dim=384, depth=12, heads=6),
    'vitb14': dict(dim=768, depth=12, heads=12),
    'vitl14': dict(dim=1024, depth=24, heads=16),
    'tiny': dict(dim=48, depth=2, heads=4),
}
IMAGENET_MEAN, IMAGENET_STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


class Exported(nn.Module):
    def __init__(self, vit: DinoViT):
        super().__init__()
        self.vit = vit
        self.register_buffer('pos', vit.pos_for_grid().detach().clone())

    def forward(self, x):
        t = self.vit.tokens(x, self.pos)
        return t[:, 0], t[:, 1 + self.vit.registers:]


def preprocess(kind: str) -> tuple:
    resize = {'op': 'resize', 'size': [SIDE, SIDE], 'method': 'bilinear'}
    norm = {'op': 'normalize', 'mean': IMAGENET_MEAN, 'std': IMAGENET_STD}
    if kind == 'rgb':
        return ['R', 'G', 'B'], [{'op': 'select_bands', 'bands': ['R', 'G', 'B']},
                                 {'op': 'scale', 'factors': [1 / 255] * 3}, resize, norm]
    return ['g', 'r', 'z'], [
        {'op': 'select_bands', 'bands': ['g', 'r', 'z']},
        {'op': 'nan_to_num', 'value': 0},
        {'op': 'legacysurvey_rgb', 'scales': {'g': 6.0, 'r': 3.4, 'z': 2.2}, 'offset': 0.03, 'Q': 20,
         'outputOrder': ['z', 'r', 'g']},
        resize, norm]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', required=True)
    ap.add_argument('--arch', choices=sorted(ARCHS), default='vits14')
    ap.add_argument('--tiny', action='store_true', help='same as --arch tiny (random init test fixture)')
    ap.add_argument('--registers', type=int, default=0, help='register tokens (4 for the *_reg checkpoints)')
    ap.add_argument('--checkpoint', help='a DINOv2 state dict (e.g. dinov2_vits14_pretrain.pth)')
    ap.add_argument('--input', choices=['grz', 'rgb'], default='grz')
    ap.add_argument('--pixscale', type=float, default=0.262)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--name')
    args = ap.parse_args()
    arch = 'tiny' if args.tiny else args.arch
    cfg = ARCHS[arch]
    torch.manual_seed(args.seed)
    pos_grid = SIDE // PATCH
    state = None
    if args.checkpoint:
        state = normalize_keys(read_checkpoint(args.checkpoint), ['module.backbone.', 'backbone.', 'module.', ''])
        if 'pos_embed' not in state:
            raise SystemExit(f'{args.checkpoint}: no pos_embed: not a DINOv2 ViT state dict')
        pos_grid = int(round((state['pos_embed'].shape[1] - 1) ** 0.5))
    vit = DinoViT(SIDE, PATCH, cfg['dim'], cfg['depth'], cfg['heads'], ls_init=1.0 if not args.tiny else 0.1,
                  registers=args.registers, pos_grid=pos_grid)
    if state is not None:
        load_strict(vit, state, args.checkpoint)
    bands, steps = preprocess(args.input)
    name = args.name or f'dinov2-{arch}'
    man = {
        'format': 'latent-sky-model', 'formatVersion': 1, 'name': name, 'version': '1.0.0',
        'licence': 'Apache-2.0 (DINOv2 weights: see facebookresearch/dinov2)',
        'description': f'DINOv2 ViT-{arch} (natural-image self-supervised), CLS embedding, {args.input} input',
        'bands': bands, 'pixscale': args.pixscale, 'preprocess': steps,
        'outputs': {'embedding': {'name': 'embedding', 'dim': cfg['dim']},
                    'patchTokens': {'name': 'patch_tokens', 'dim': cfg['dim'], 'grid': [SIDE // PATCH, SIDE // PATCH]}},
        'metric': 'cosine',
        'training': {'source': 'DINOv2 (Oquab et al. 2023), facebookresearch/dinov2',
                     'weights': os.path.basename(args.checkpoint) if args.checkpoint else f'random initialisation, seed {args.seed}',
                     'architecture': dict(cfg, img=SIDE, patch=PATCH, registers=args.registers),
                     'exporter': 'native-models/export/dinov2.py'},
    }
    model = Exported(vit).eval()
    path = export_package(model, args.out, SIDE, man)
    print(f'{path}: {os.path.getsize(path)} bytes, {count_params(vit)} parameters')


if __name__ == '__main__':
    main()
