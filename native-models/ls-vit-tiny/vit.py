"""A small Vision Transformer for 64x64 g,r,z cutouts (patch 8 -> 8x8 grid).

Hand-written attention (no nn.MultiheadAttention) so the ONNX export is a
plain graph of MatMul/Softmax/LayerNormalization; Python ints only inside
forward so the batch axis stays dynamic.

forward(x) -> (embedding [B, D], patch_tokens [B, 64, D]); both after the
final LayerNorm. embedding is the CLS token.
"""
import math

import torch
from torch import nn


class Attention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.head_dim = dim // heads
        self.scale = 1.0 / math.sqrt(self.head_dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, n, d = x.shape[0], x.shape[1], x.shape[2]
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        att = torch.softmax((q @ k.transpose(-2, -1)) * self.scale, dim=-1)
        out = (att @ v).transpose(1, 2).reshape(b, n, d)
        return self.proj(out)


class Block(nn.Module):
    def __init__(self, dim: int, heads: int, mlp_ratio: float):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        hidden = int(dim * mlp_ratio)
        self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class TinyViT(nn.Module):
    def __init__(self, img: int = 64, patch: int = 8, chans: int = 3, dim: int = 128,
                 depth: int = 5, heads: int = 4, mlp_ratio: float = 4.0):
        super().__init__()
        self.grid = img // patch
        self.dim = dim
        self.patch_embed = nn.Conv2d(chans, dim, kernel_size=patch, stride=patch)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.mask_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, 1 + self.grid * self.grid, dim))
        self.blocks = nn.ModuleList([Block(dim, heads, mlp_ratio) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        nn.init.trunc_normal_(self.cls_token, std=0.02)
        nn.init.trunc_normal_(self.mask_token, std=0.02)
        self.apply(self._init)

    @staticmethod
    def _init(m: nn.Module) -> None:
        if isinstance(m, nn.Linear):
            nn.init.trunc_normal_(m.weight, std=0.02)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.LayerNorm):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)

    def forward_tokens(self, x: torch.Tensor, mask: torch.Tensor = None) -> torch.Tensor:
        """All tokens after the final norm: [B, 1 + grid*grid, D]. `mask` [B, grid*grid]
        (bool) replaces those patch embeddings by the learned mask token (training only)."""
        t = self.patch_embed(x).flatten(2).transpose(1, 2)
        if mask is not None:
            t = torch.where(mask.unsqueeze(-1), self.mask_token.expand(t.shape[0], t.shape[1], -1), t)
        cls = self.cls_token.expand(t.shape[0], -1, -1)
        t = torch.cat([cls, t], dim=1) + self.pos_embed
        for blk in self.blocks:
            t = blk(t)
        return self.norm(t)

    def forward(self, x: torch.Tensor):
        t = self.forward_tokens(x)
        return t[:, 0], t[:, 1:]


def build(config: dict) -> TinyViT:
    return TinyViT(**{k: config[k] for k in ('img', 'patch', 'chans', 'dim', 'depth', 'heads', 'mlp_ratio')})


def flops_per_image(model: TinyViT, img: int = 64) -> int:
    """Multiply-adds x2 of one forward pass (matmuls, conv, attention)."""
    n = model.grid * model.grid + 1
    d = model.dim
    patch = img // model.grid
    total = 2 * model.grid * model.grid * d * 3 * patch * patch  # patch embed
    for blk in model.blocks:
        hidden = blk.mlp[0].out_features
        total += 2 * n * d * 3 * d + 2 * n * d * d          # qkv, proj
        total += 2 * 2 * n * n * d                          # q k^T, att v
        total += 2 * 2 * n * d * hidden                     # mlp
    return total
