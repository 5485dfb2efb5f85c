"""Export the AstroCLIP image encoder (Parker et al. 2024) to a Latent Sky model package.

Architecture (PolymathicAI/AstroCLIP `ImageHead`): an AstroDINO backbone =
DINOv2 ViT-L/12 (dim 1024, depth 24, 16 heads, LayerScale, 144x144 g,r,z
cutouts rendered with the Legacy Survey RGB transform), run as
patch_embed -> blocks -> norm (AstroCLIP feeds no CLS token and no position
embedding), then a cross-attention head (one learned query, 4 heads) ->
LayerNorm -> MLP (1024 -> 4096 -> 1024). Outputs: 'embedding' = the head's
output [B, 1024]; 'patch_tokens' = the backbone's normed tokens [B, 144, 1024]
on the 12x12 grid.

No weights can be downloaded here: without --checkpoint the network is at
random initialisation (useful for tests and for measuring speed). With the
released checkpoint (a Lightning .ckpt whose state_dict holds
image_encoder.backbone.* / image_encoder.cross_attention.* / image_encoder.mlp.*;
AstroDINO block chunks are flattened) the export carries the real weights.

  /usr/bin/python3 native-models/export/astroclip.py --checkpoint astroclip.ckpt --out native-models/astroclip
  /usr/bin/python3 native-models/export/astroclip.py --tiny --seed 3 --out tests/fixtures/models/astroclip-tiny
"""
import argparse
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from package import count_params, export_package  # noqa: E402
from vit_dinov2 import DinoViT, load_strict, normalize_keys, read_checkpoint  # noqa: E402

SIDE, PATCH = 144, 12
FULL = dict(dim=1024, depth=24, heads=16, head_dim=1024, head_heads=4, ls_init=1e-5)
TINY = dict(dim=48, depth=2, heads=4, head_dim=48, head_heads=4, ls_init=0.1)


class CrossAttentionHead(nn.Module):
    """nn.MultiheadAttention(embed_dim, n_head, kdim=vdim=model_dim) with one learned
    query, written out (same parameter names) so it exports without the fused fast path."""

    def __init__(self, embed_dim: int, n_head: int, model_dim: int):
        super().__init__()
        if model_dim != embed_dim:
            raise SystemExit('this export supports the released AstroCLIP head (kdim = vdim = embed_dim) only')
        self.n_head, self.embed_dim = n_head, embed_dim
        self.query = nn.Parameter(torch.randn(1, 1, embed_dim))
        self.multihead_attn = nn.Module()
        self.multihead_attn.in_proj_weight = nn.Parameter(torch.empty(3 * embed_dim, embed_dim))
        self.multihead_attn.in_proj_bias = nn.Parameter(torch.zeros(3 * embed_dim))
        self.multihead_attn.out_proj = nn.Linear(embed_dim, embed_dim)
        nn.init.xavier_uniform_(self.multihead_attn.in_proj_weight)
        self.layernorm = nn.LayerNorm(embed_dim)

    def forward(self, x):
        b, n, e, h = x.shape[0], x.shape[1], self.embed_dim, self.n_head
        w, bias = self.multihead_attn.in_proj_weight, self.multihead_attn.in_proj_bias
        q = self.query @ w[:e].t() + bias[:e]                         # [1, 1, E]
        k = x @ w[e:2 * e].t() + bias[e:2 * e]                        # [B, N, E]
        v = x @ w[2 * e:].t() + bias[2 * e:]
        q = q.reshape(1, h, 1, e // h)
        k = k.reshape(b, n, h, e // h).transpose(1, 2)
        v = v.reshape(b, n, h, e // h).transpose(1, 2)
        att = torch.softmax((q @ k.transpose(-2, -1)) / float((e // h) ** 0.5), dim=-1)
        o = (att @ v).transpose(1, 2).reshape(b, 1, e)
        return self.layernorm(self.multihead_attn.out_proj(o))


class MLP(nn.Module):
    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.encoder = nn.Linear(dim, hidden)
        self.activation = nn.GELU()
        self.decoder = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.decoder(self.activation(self.encoder(x)))


class AstroClipImageEncoder(nn.Module):
    def __init__(self, cfg: dict):
        super().__init__()
        self.backbone = DinoViT(SIDE, PATCH, cfg['dim'], cfg['depth'], cfg['heads'], ls_init=cfg['ls_init'])
        self.cross_attention = CrossAttentionHead(cfg['head_dim'], cfg['head_heads'], cfg['dim'])
        self.mlp = MLP(cfg['head_dim'], 4 * cfg['head_dim'])

    def forward(self, x):
        tokens = self.backbone.patch_only(x)
        emb = self.mlp(self.cross_attention(tokens))
        return emb[:, 0], tokens


def manifest(name: str, cfg: dict, checkpoint: str, seed: int) -> dict:
    return {
        'format': 'latent-sky-model', 'formatVersion': 1, 'name': name, 'version': '1.0.0',
        'licence': 'MIT (AstroCLIP code and weights: see PolymathicAI/AstroCLIP)',
        'description': 'AstroCLIP image encoder: AstroDINO ViT-L/12 backbone + cross-attention head '
                       '(g,r,z Legacy Survey cutouts, 144x144 at 0.262"/px)',
        'bands': ['g', 'r', 'z'], 'pixscale': 0.262,
        'preprocess': [
            {'op': 'select_bands', 'bands': ['g', 'r', 'z']},
            {'op': 'center_crop', 'size': [SIDE, SIDE]},
            {'op': 'nan_to_num', 'value': 0},
            {'op': 'legacysurvey_rgb', 'scales': {'g': 6.0, 'r': 3.4, 'z': 2.2}, 'offset': 0.03, 'Q': 20,
             'outputOrder': ['z', 'r', 'g']},
        ],
        'outputs': {'embedding': {'name': 'embedding', 'dim': cfg['head_dim']},
                    'patchTokens': {'name': 'patch_tokens', 'dim': cfg['dim'], 'grid': [SIDE // PATCH, SIDE // PATCH]}},
        'metric': 'cosine',
        'training': {'source': 'AstroCLIP (Parker et al. 2024), PolymathicAI/AstroCLIP',
                     'weights': os.path.basename(checkpoint) if checkpoint else f'random initialisation, seed {seed}',
                     'architecture': dict(cfg, img=SIDE, patch=PATCH), 'exporter': 'native-models/export/astroclip.py'},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', required=True)
    ap.add_argument('--checkpoint', help='AstroCLIP Lightning checkpoint (or a bare image-encoder state dict)')
    ap.add_argument('--tiny', action='store_true', help='2 blocks of width 48: a small random-init test fixture')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--name', default=None)
    args = ap.parse_args()
    cfg = TINY if args.tiny else FULL
    torch.manual_seed(args.seed)
    model = AstroClipImageEncoder(cfg).eval()
    if args.checkpoint:
        state = normalize_keys(read_checkpoint(args.checkpoint), ['image_encoder.', 'module.image_encoder.', ''])
        load_strict(model, state, args.checkpoint)
    name = args.name or ('astroclip-tiny' if args.tiny else 'astroclip')
    path = export_package(model, args.out, SIDE, manifest(name, cfg, args.checkpoint, args.seed))
    print(f'{path}: {os.path.getsize(path)} bytes, {count_params(model)} parameters')


if __name__ == '__main__':
    main()
