"""Astronomy-aware view generation in flux space (before the model's own
preprocessing), with exact patch correspondences between the two views.

Per pair (shared): optional zoom (apparent size change).
Per view: redshift-like dimming at constant sky noise, PSF blur, extra sky
noise, one of the 8 rotations/flips of the square, and a shift by whole
patches (the vacated strip filled with sky noise). Rotations, flips and
whole-patch shifts permute the 8x8 patch grid exactly, so we know which
patch token of view 1 sees the same sky as which token of view 2.
No colour jitter: band ratios (colours) are physics.
"""
import math

import torch
import torch.nn.functional as F

PATCH = 8


def _gauss_kernels(sig: torch.Tensor, radius: int = 3) -> torch.Tensor:
    r = torch.arange(-radius, radius + 1, dtype=torch.float32)
    k1 = torch.exp(-0.5 * (r[None, :] / sig[:, None].clamp_min(1e-3)) ** 2)
    k1 = k1 / k1.sum(dim=1, keepdim=True)
    return k1[:, :, None] * k1[:, None, :]  # [B, K, K]


def blur(x: torch.Tensor, sig: torch.Tensor) -> torch.Tensor:
    """Gaussian PSF broadening per sample (sig in pixels; 0 = unchanged)."""
    b, c, h, w = x.shape
    k = _gauss_kernels(sig)
    ident = torch.zeros_like(k)
    ident[:, k.shape[1] // 2, k.shape[2] // 2] = 1.0
    k = torch.where((sig > 0)[:, None, None], k, ident)
    k = k[:, None].repeat_interleave(c, dim=0)  # [B*C, 1, K, K]
    pad = k.shape[-1] // 2
    y = F.conv2d(F.pad(x.reshape(1, b * c, h, w), (pad, pad, pad, pad), mode='reflect'), k, groups=b * c)
    return y.reshape(b, c, h, w)


def zoom(x: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    """Magnify about the centre by `scale` (>1 = bigger object), bilinear."""
    b = x.shape[0]
    theta = torch.zeros(b, 2, 3)
    theta[:, 0, 0] = 1.0 / scale
    theta[:, 1, 1] = 1.0 / scale
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode='bilinear', padding_mode='reflection', align_corners=False)


def _d4(t: torch.Tensor, k: int, flip: bool) -> torch.Tensor:
    t = torch.rot90(t, k, dims=(-2, -1))
    return torch.flip(t, dims=(-1,)) if flip else t


def _shift(t: torch.Tensor, dy: int, dx: int, unit: int, fill: torch.Tensor) -> torch.Tensor:
    """Shift by (dy, dx) units of `unit` pixels; vacated area takes `fill` (same shape as t)."""
    out = torch.roll(t, shifts=(dy * unit, dx * unit), dims=(-2, -1))
    h, w = t.shape[-2], t.shape[-1]
    keep = torch.ones(h, w, dtype=torch.bool)
    if dy > 0:
        keep[:dy * unit, :] = False
    elif dy < 0:
        keep[h + dy * unit:, :] = False
    if dx > 0:
        keep[:, :dx * unit] = False
    elif dx < 0:
        keep[:, w + dx * unit:] = False
    return torch.where(keep, out, fill)


def make_view(x: torch.Tensor, sky: torch.Tensor, g: torch.Generator, max_shift: int = 1):
    """x [B,3,H,W] flux, sky [B,3] sky sigma. Returns (view [B,3,H,W], src [B, G*G]):
    src[b, j] = index of the source patch seen by token j, or -1 for filled patches."""
    b, c, h, w = x.shape
    gh, gw = h // PATCH, w // PATCH
    s = sky[:, :, None, None].float()
    u = lambda: torch.rand(b, generator=g)
    # dimming at constant sky noise: a*x + sqrt(1-a^2)*sigma*n
    a = torch.where(u() < 0.5, 0.45 + 0.55 * u(), torch.ones(b))
    noise = torch.randn(x.shape, generator=g)
    x = a[:, None, None, None] * x + torch.sqrt(1 - a ** 2)[:, None, None, None] * s * noise
    # PSF broadening
    psf = torch.where(u() < 0.5, 0.3 + 0.9 * u(), torch.zeros(b))
    x = blur(x, psf)
    # extra sky noise (deeper vs shallower imaging)
    f = torch.where(u() < 0.5, 0.8 * u(), torch.zeros(b))
    x = x + f[:, None, None, None] * s * torch.randn(x.shape, generator=g)
    # D4 and whole-patch shift, per sample
    src = torch.arange(gh * gw, dtype=torch.float32).reshape(1, gh, gw).repeat(b, 1, 1)
    ks = torch.randint(0, 4, (b,), generator=g)
    flips = torch.rand(b, generator=g) < 0.5
    dys = torch.randint(-max_shift, max_shift + 1, (b,), generator=g)
    dxs = torch.randint(-max_shift, max_shift + 1, (b,), generator=g)
    fill = s * torch.randn(x.shape, generator=g)
    views, srcs = [], []
    for i in range(b):
        k, fl, dy, dx = int(ks[i]), bool(flips[i]), int(dys[i]), int(dxs[i])
        vi = _shift(_d4(x[i], k, fl), dy, dx, PATCH, fill[i])
        si = _shift(_d4(src[i], k, fl), dy, dx, 1, torch.full((gh, gw), -1.0))
        views.append(vi)
        srcs.append(si.reshape(-1))
    return torch.stack(views), torch.stack(srcs).long()


def make_pair(x: torch.Tensor, sky: torch.Tensor, g: torch.Generator):
    b = x.shape[0]
    sc = torch.where(torch.rand(b, generator=g) < 0.5,
                     torch.exp(math.log(0.8) + (math.log(1.25) - math.log(0.8)) * torch.rand(b, generator=g)),
                     torch.ones(b))
    x = torch.where((sc != 1)[:, None, None, None], zoom(x, sc), x)
    v1, s1 = make_view(x, sky, g)
    v2, s2 = make_view(x, sky, g)
    return v1, s1, v2, s2


def matched_pairs(s1: torch.Tensor, s2: torch.Tensor, per_image: int, g: torch.Generator):
    """Sample up to `per_image` source patches visible in both views.
    Returns (batch idx, token idx in view 1, token idx in view 2), 1-D long tensors."""
    b, n = s1.shape
    pos1 = torch.full((b, n), -1, dtype=torch.long)
    pos2 = torch.full((b, n), -1, dtype=torch.long)
    tok = torch.arange(n).expand(b, n)
    v1, v2 = s1 >= 0, s2 >= 0
    pos1[v1.nonzero(as_tuple=True)[0], s1[v1]] = tok[v1]
    pos2[v2.nonzero(as_tuple=True)[0], s2[v2]] = tok[v2]
    both = (pos1 >= 0) & (pos2 >= 0)
    score = torch.rand(b, n, generator=g) + (~both).float() * 2.0
    pick = torch.argsort(score, dim=1)[:, :per_image]
    ok = torch.gather(both, 1, pick)
    bi = torch.arange(b)[:, None].expand_as(pick)[ok]
    src = pick[ok]
    return bi, pos1[bi, src], pos2[bi, src]
