"""Views for ls-vit-lsb, made in flux space before the model's own
preprocessing, with exact patch correspondences between the two views of a pair.

Per pair (shared, so the 8x8 patch grids stay in correspondence):
  pixel-scale resampling: the stamp is re-imaged at a scale drawn log-uniformly
  in 0.1-1 arcsec/px (the survey is 0.262), p = 0.5; zoom-out fills the new
  border with sky noise.
Per view:
  redshift-like dimming at constant sky noise; a Moffat PSF (FWHM 0-3 px,
  beta 2-5); sub-pixel shift (|d| <= 0.5 px); extra sky noise (0-1.5 sigma);
  one of the 8 rotations/flips; a shift by -1/0/+1 whole patches;
  with p = photo_p, the view becomes an 8-bit RGB photograph as the folder
  importer stores it: a display stretch (asinh or power law, random black
  point and sky pedestal), rounding and clamping to 0..255, and, p = 0.6,
  JPEG-like 8x8 DCT quantisation with 2x chroma subsampling (quality 30-95).
No colour jitter: band ratios are physics; the photo stretch is common to
all bands (scaled by each band's sky noise, as display stretches are).
"""
import math

import torch
import torch.nn.functional as F

PATCH = 8
SURVEY_SCALE = 0.262


def _affine(x: torch.Tensor, scale: torch.Tensor, tx: torch.Tensor, ty: torch.Tensor) -> torch.Tensor:
    """Magnify by `scale` about the centre and shift by (tx, ty) pixels; outside -> 0 (filled later)."""
    b, c, h, w = x.shape
    theta = torch.zeros(b, 2, 3)
    theta[:, 0, 0] = 1.0 / scale
    theta[:, 1, 1] = 1.0 / scale
    theta[:, 0, 2] = -2.0 * tx / w
    theta[:, 1, 2] = -2.0 * ty / h
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode='bilinear', padding_mode='zeros', align_corners=False)


def _inside(x: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    ones = torch.ones(x.shape[0], 1, x.shape[2], x.shape[3])
    return _affine(ones, scale, torch.zeros_like(scale), torch.zeros_like(scale)) > 0.999


def moffat(x: torch.Tensor, fwhm: torch.Tensor, beta: torch.Tensor, radius: int = 4) -> torch.Tensor:
    """Convolve each sample with a circular Moffat PSF (fwhm in px; 0 = unchanged)."""
    b, c, h, w = x.shape
    r = torch.arange(-radius, radius + 1, dtype=torch.float32)
    rr = r[None, :, None] ** 2 + r[None, None, :] ** 2
    alpha = (fwhm.clamp_min(0.3) / (2 * torch.sqrt(2 ** (1 / beta) - 1)))[:, None, None]
    k = (1 + rr / alpha ** 2) ** (-beta[:, None, None])
    k = k / k.sum(dim=(1, 2), keepdim=True)
    ident = torch.zeros_like(k)
    ident[:, radius, radius] = 1.0
    k = torch.where((fwhm > 0)[:, None, None], k, ident)
    k = k[:, None].repeat_interleave(c, dim=0)
    y = F.conv2d(F.pad(x.reshape(1, b * c, h, w), (radius,) * 4, mode='reflect'), k, groups=b * c)
    return y.reshape(b, c, h, w)


# JPEG luminance / chrominance quantisation tables (ITU-T T.81 Annex K)
_QY = torch.tensor([16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
                    14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
                    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99], dtype=torch.float32).reshape(8, 8)
_QC = torch.full((8, 8), 99.0)
_QC[:4, :4] = torch.tensor([[17, 18, 24, 47], [18, 21, 26, 66], [24, 26, 56, 99], [47, 66, 99, 99]], dtype=torch.float32)
_n = torch.arange(8, dtype=torch.float32)
_DCT = torch.cos((2 * _n[None, :] + 1) * _n[:, None] * math.pi / 16) * torch.where(_n[:, None] == 0, math.sqrt(1 / 8), math.sqrt(2 / 8))


def _dct_quant(p: torch.Tensor, q: torch.Tensor) -> torch.Tensor:
    """p [B, H, W] (H, W multiples of 8), q [B, 8, 8]: blockwise DCT, quantise, inverse."""
    b, h, w = p.shape
    blk = p.reshape(b, h // 8, 8, w // 8, 8).permute(0, 1, 3, 2, 4)
    d = _DCT @ blk @ _DCT.t()
    qq = q[:, None, None]
    d = torch.round(d / qq) * qq
    out = _DCT.t() @ d @ _DCT
    return out.permute(0, 1, 3, 2, 4).reshape(b, h, w)


def jpeg_like(u: torch.Tensor, quality: torch.Tensor) -> torch.Tensor:
    """u [B, 3, H, W] (H, W multiples of 16) in 0..255 with planes (g, r, z) = (B, G, R) of the picture -> JPEG round trip (approx.)."""
    bl, gr, rd = u[:, 0], u[:, 1], u[:, 2]
    y = 0.299 * rd + 0.587 * gr + 0.114 * bl
    cb = -0.168736 * rd - 0.331264 * gr + 0.5 * bl + 128
    cr = 0.5 * rd - 0.418688 * gr - 0.081312 * bl + 128
    s = torch.where(quality < 50, 5000 / quality, 200 - 2 * quality)[:, None, None] / 100
    qy = torch.clamp(torch.floor(_QY[None] * s + 0.5), 1, 255)
    qc = torch.clamp(torch.floor(_QC[None] * s + 0.5), 1, 255)
    y = _dct_quant(y - 128, qy) + 128
    sub = lambda c: F.avg_pool2d(c[:, None], 2)[:, 0]
    up = lambda c: F.interpolate(c[:, None], scale_factor=2, mode='nearest')[:, 0]
    cb = up(_dct_quant(sub(cb) - 128, qc) + 128)
    cr = up(_dct_quant(sub(cr) - 128, qc) + 128)
    rd2 = y + 1.402 * (cr - 128)
    gr2 = y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128)
    bl2 = y + 1.772 * (cb - 128)
    return torch.stack([bl2, gr2, rd2], dim=1).round().clamp(0, 255)


def photograph(x: torch.Tensor, sky: torch.Tensor, g: torch.Generator) -> torch.Tensor:
    """Flux [B, 3, H, W] -> an 8-bit picture as the folder importer stores it (values 0..255, float)."""
    b = x.shape[0]
    u = lambda: torch.rand(b, generator=g)
    s = sky[:, :, None, None].float()
    z = x / s  # in units of each band's sky noise (a common display stretch, not a colour change)
    soft = torch.exp(math.log(1.0) + math.log(30.0) * u())[:, None, None, None]  # asinh softening, sigma units
    flat = z.reshape(b, -1)
    top = torch.kthvalue(flat, int(0.999 * flat.shape[1]), dim=1).values.clamp_min(5.0)[:, None, None, None]
    a = torch.asinh(z / soft) / torch.asinh(top / soft)
    gamma = (0.35 + 0.45 * u())[:, None, None, None]
    pw = z.clamp_min(0) / top
    pw = pw ** gamma
    use_asinh = (u() < 0.6)[:, None, None, None]
    v = torch.where(use_asinh, a, pw)
    black = (0.15 * u() * (u() < 0.7).float())[:, None, None, None]  # share of the range clipped to 0
    pedestal = (40 * u() * (u() < 0.5).float())[:, None, None, None]
    gain = 255 * (0.7 + 0.6 * u())[:, None, None, None]
    v = (v - black) / (1 - black)
    out = (pedestal + gain * v).clamp(0, 255).round()
    jp = u() < 0.6
    if bool(jp.any()):
        q = 30 + 65 * u()
        out = torch.where(jp[:, None, None, None], jpeg_like(out, q), out)
    return out


def _d4(t: torch.Tensor, k: int, flip: bool) -> torch.Tensor:
    t = torch.rot90(t, k, dims=(-2, -1))
    return torch.flip(t, dims=(-1,)) if flip else t


def _shift(t: torch.Tensor, dy: int, dx: int, unit: int, fill: torch.Tensor) -> torch.Tensor:
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


def make_view(x: torch.Tensor, sky: torch.Tensor, scale: torch.Tensor, g: torch.Generator, photo_p: float):
    """x [B,3,H,W] flux, sky [B,3]. Returns (view, src [B, 64], is_photo [B])."""
    b, c, h, w = x.shape
    gh, gw = h // PATCH, w // PATCH
    s = sky[:, :, None, None].float()
    u = lambda: torch.rand(b, generator=g)
    # pixel-scale resampling + sub-pixel shift; area outside the source gets sky noise
    tx, ty = u() - 0.5, u() - 0.5
    moved = _affine(x, scale, tx, ty)
    inside = _inside(x, scale)
    # zoom-out averages noise down; zoom-in correlates it: top up to the survey's sky level
    x = torch.where(inside, moved, torch.zeros_like(moved))
    x = x + torch.sqrt(torch.clamp(1 - scale.clamp(max=1.0) ** 2, 0, 1))[:, None, None, None] * s * torch.randn(x.shape, generator=g)
    a = torch.where(u() < 0.5, 0.45 + 0.55 * u(), torch.ones(b))
    x = a[:, None, None, None] * x + torch.sqrt(1 - a ** 2)[:, None, None, None] * s * torch.randn(x.shape, generator=g)
    fwhm = torch.where(u() < 0.6, 3.0 * u(), torch.zeros(b))
    x = moffat(x, fwhm, 2.0 + 3.0 * u())
    f = torch.where(u() < 0.5, 1.5 * u(), torch.zeros(b))
    x = x + f[:, None, None, None] * s * torch.randn(x.shape, generator=g)
    photo = u() < photo_p
    if bool(photo.any()):
        x = torch.where(photo[:, None, None, None], photograph(x, sky, g), x)
    src = torch.arange(gh * gw, dtype=torch.float32).reshape(1, gh, gw).repeat(b, 1, 1)
    ks = torch.randint(0, 4, (b,), generator=g)
    flips = torch.rand(b, generator=g) < 0.5
    dys = torch.randint(-1, 2, (b,), generator=g)
    dxs = torch.randint(-1, 2, (b,), generator=g)
    # vacated strips: sky noise in flux, or the picture's median level for photographs
    med = x.reshape(b, c, -1).median(dim=2).values[:, :, None, None]
    fill = torch.where(photo[:, None, None, None], med.expand_as(x), s * torch.randn(x.shape, generator=g))
    views, srcs = [], []
    for i in range(b):
        k, fl, dy, dx = int(ks[i]), bool(flips[i]), int(dys[i]), int(dxs[i])
        views.append(_shift(_d4(x[i], k, fl), dy, dx, PATCH, fill[i]))
        srcs.append(_shift(_d4(src[i], k, fl), dy, dx, 1, torch.full((gh, gw), -1.0)).reshape(-1))
    return torch.stack(views), torch.stack(srcs).long(), photo


def pair_scale(b: int, g: torch.Generator) -> torch.Tensor:
    """Magnification of the pair: survey scale / new scale, new scale log-uniform in 0.1-1 arcsec/px (p = 0.5)."""
    lo, hi = math.log(0.1), math.log(1.0)
    new = torch.exp(lo + (hi - lo) * torch.rand(b, generator=g))
    mag = SURVEY_SCALE / new
    return torch.where(torch.rand(b, generator=g) < 0.5, mag, torch.ones(b))


def make_pair(x: torch.Tensor, sky: torch.Tensor, g: torch.Generator, photo_p: float = 0.4):
    scale = pair_scale(x.shape[0], g)
    v1 = make_view(x, sky, scale, g, photo_p)
    v2 = make_view(x, sky, scale, g, photo_p)
    return v1, v2
