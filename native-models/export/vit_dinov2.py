"""The DINOv2 Vision Transformer (facebookresearch/dinov2 `DinoVisionTransformer`),
re-declared with the same parameter names so that official / AstroDINO /
AstroCLIP checkpoints load with load_state_dict, and with hand-written
attention so the ONNX export is a plain graph (opset 17).

Parameter names: patch_embed.proj, cls_token, pos_embed, mask_token,
register_tokens (optional), blocks.{i}.{norm1, attn.qkv, attn.proj, ls1.gamma,
norm2, mlp.fc1, mlp.fc2, ls2.gamma}, norm.
"""
import math
import re

import torch
import torch.nn.functional as F
from torch import nn


class LayerScale(nn.Module):
    def __init__(self, dim: int, init: float):
        super().__init__()
        self.gamma = nn.Parameter(init * torch.ones(dim))

    def forward(self, x):
        return x * self.gamma


class Attention(nn.Module):
    def __init__(self, dim: int, heads: int):
        super().__init__()
        self.heads = heads
        self.head_dim = dim // heads
        self.scale = 1.0 / math.sqrt(self.head_dim)
        self.qkv = nn.Linear(dim, 3 * dim, bias=True)
        self.proj = nn.Linear(dim, dim, bias=True)

    def forward(self, x):
        b, n, d = x.shape[0], x.shape[1], x.shape[2]
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        att = torch.softmax((qkv[0] @ qkv[1].transpose(-2, -1)) * self.scale, dim=-1)
        return self.proj((att @ qkv[2]).transpose(1, 2).reshape(b, n, d))


class Mlp(nn.Module):
    def __init__(self, dim: int, hidden: int):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, dim: int, heads: int, mlp_ratio: float, ls_init: float):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.ls1 = LayerScale(dim, ls_init)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))
        self.ls2 = LayerScale(dim, ls_init)

    def forward(self, x):
        x = x + self.ls1(self.attn(self.norm1(x)))
        return x + self.ls2(self.mlp(self.norm2(x)))


class PatchEmbed(nn.Module):
    def __init__(self, patch: int, chans: int, dim: int):
        super().__init__()
        self.proj = nn.Conv2d(chans, dim, kernel_size=patch, stride=patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class DinoViT(nn.Module):
    """img: the input side the model is exported for; pos_grid: side of the
    stored position-embedding grid (518/14 = 37 for the official DINOv2)."""

    def __init__(self, img: int, patch: int, dim: int, depth: int, heads: int, mlp_ratio: float = 4.0,
                 ls_init: float = 1.0, registers: int = 0, pos_grid: int = None, chans: int = 3):
        super().__init__()
        self.img, self.patch, self.dim, self.registers = img, patch, dim, registers
        self.grid = img // patch
        pos_grid = pos_grid or self.grid
        self.patch_embed = PatchEmbed(patch, chans, dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.zeros(1, 1 + pos_grid * pos_grid, dim))
        self.mask_token = nn.Parameter(torch.zeros(1, dim))
        self.register_tokens = nn.Parameter(torch.zeros(1, registers, dim)) if registers else None
        self.blocks = nn.ModuleList([Block(dim, heads, mlp_ratio, ls_init) for _ in range(depth)])
        self.norm = nn.LayerNorm(dim, eps=1e-6)
        nn.init.trunc_normal_(self.pos_embed, std=0.02)
        nn.init.normal_(self.cls_token, std=1e-6)
        if registers:
            nn.init.normal_(self.register_tokens, std=1e-6)
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.trunc_normal_(m.weight, std=0.02)
                nn.init.zeros_(m.bias)

    def pos_for_grid(self) -> torch.Tensor:
        """Position embeddings resized (bicubic, once, at export) to this model's grid, the way
        DINOv2's interpolate_pos_encoding does it (scale factor (grid + 0.1) / src, no antialias)."""
        cls_pos, patch_pos = self.pos_embed[:, :1], self.pos_embed[:, 1:]
        src = int(round(math.sqrt(patch_pos.shape[1])))
        if src == self.grid:
            return self.pos_embed
        p = patch_pos.reshape(1, src, src, self.dim).permute(0, 3, 1, 2)
        sf = (self.grid + 0.1) / src
        p = F.interpolate(p, scale_factor=(sf, sf), mode='bicubic', align_corners=False)
        assert p.shape[-1] == self.grid, p.shape
        return torch.cat([cls_pos, p.permute(0, 2, 3, 1).reshape(1, self.grid * self.grid, self.dim)], dim=1)

    def tokens(self, x, pos: torch.Tensor):
        """Full DINOv2 forward: [B, 1 + R + grid^2, D] after the final norm."""
        t = self.patch_embed(x)
        t = torch.cat([self.cls_token.expand(t.shape[0], -1, -1), t], dim=1) + pos
        if self.registers:
            t = torch.cat([t[:, :1], self.register_tokens.expand(t.shape[0], -1, -1), t[:, 1:]], dim=1)
        for blk in self.blocks:
            t = blk(t)
        return self.norm(t)

    def patch_only(self, x):
        """AstroCLIP's ImageHead forward: patch_embed -> blocks -> norm (no CLS, no position embedding)."""
        t = self.patch_embed(x)
        for blk in self.blocks:
            t = blk(t)
        return self.norm(t)


def normalize_keys(state: dict, prefixes: list) -> dict:
    """Strip the first matching prefix (keys without any are dropped when prefixes
    are given) and flatten DINOv2 block chunks: blocks.{chunk}.{i}. -> blocks.{i}."""
    out = {}
    for k, v in state.items():
        if prefixes:
            hit = next((p for p in prefixes if k.startswith(p)), None)
            if hit is None:
                continue
            k = k[len(hit):]
        out[re.sub(r'^(backbone\.)?blocks\.\d+\.(\d+)\.', r'\1blocks.\2.', k)] = v
    return out


def read_checkpoint(path: str) -> dict:
    ck = torch.load(path, map_location='cpu')
    for key in ('state_dict', 'model', 'teacher'):
        if isinstance(ck, dict) and key in ck and isinstance(ck[key], dict):
            ck = ck[key]
            break
    if not isinstance(ck, dict) or not all(torch.is_tensor(v) for v in ck.values()):
        raise SystemExit(f'{path}: not a state dict (expected a dict of tensors, or one under state_dict/model/teacher)')
    return ck


def load_strict(module: nn.Module, state: dict, what: str) -> None:
    own = module.state_dict()
    missing = [k for k in own if k not in state]
    shape = [f'{k} {tuple(state[k].shape)} vs {tuple(own[k].shape)}' for k in own if k in state and state[k].shape != own[k].shape]
    if missing or shape:
        raise SystemExit(f'{what}: checkpoint does not fit the architecture: '
                         f'{len(missing)} missing (e.g. {missing[:5]}), {len(shape)} shape mismatches (e.g. {shape[:3]})')
    module.load_state_dict({k: state[k] for k in own})
