"""The model's input transform, exactly as the manifest states it and as
app/encoder/preprocess.ts applies it to a Cutout:

  select_bands g,r,z -> center_crop 64x64 -> nan_to_num 0 -> sky_asinh(k, minSigma)

sky_asinh: y = asinh(x / (k * sigma_b)), sigma_b = max(1.4826 * MAD(plane_b), minSigma[b]),
MAD = median(|x - median(x)|) over all pixels of the band in the (cropped) cutout;
the median of an even count is the mean of the two middle values (numpy's).
"""
import torch

SKY_K = 3.0
MAD_TO_SIGMA = 1.4826


def median_last(x: torch.Tensor) -> torch.Tensor:
    """Median over the last axis; mean of the two middle values for even counts."""
    n = x.shape[-1]
    if n % 2 == 1:
        return torch.kthvalue(x, n // 2 + 1, dim=-1).values.double()
    lo = torch.kthvalue(x, n // 2, dim=-1).values.double()
    hi = torch.kthvalue(x, n // 2 + 1, dim=-1).values.double()
    return 0.5 * (lo + hi)


def sky_sigma(x: torch.Tensor) -> torch.Tensor:
    """Per-band sky noise 1.4826 * MAD of [B, C, H, W] -> [B, C], float64 maths like app/encoder/robust.ts."""
    flat = x.reshape(x.shape[0], x.shape[1], -1).double()
    med = median_last(flat)
    mad = median_last((flat - med.unsqueeze(-1)).abs())
    return MAD_TO_SIGMA * mad


def center_crop(x: torch.Tensor, size: int) -> torch.Tensor:
    h, w = x.shape[-2], x.shape[-1]
    if h == size and w == size:
        return x
    top, left = (h - size) // 2, (w - size) // 2
    return x[..., top:top + size, left:left + size]


def preprocess(x: torch.Tensor, min_sigma, k: float = SKY_K) -> torch.Tensor:
    """Flux cutouts [B, 3, H, W] (g, r, z nanomaggies) -> model input [B, 3, 64, 64] float32."""
    x = center_crop(x, 64)
    x = torch.nan_to_num(x.float(), nan=0.0, posinf=0.0, neginf=0.0)
    sig = torch.maximum(sky_sigma(x), torch.tensor(min_sigma, dtype=torch.float64))
    y = torch.asinh(x.double() / (k * sig[:, :, None, None]))
    return y.float()


def manifest_steps(min_sigma, k: float = SKY_K) -> list:
    return [
        {'op': 'select_bands', 'bands': ['g', 'r', 'z']},
        {'op': 'center_crop', 'size': [64, 64]},
        {'op': 'nan_to_num', 'value': 0},
        {'op': 'sky_asinh', 'k': k, 'minSigma': [float(s) for s in min_sigma]},
    ]
