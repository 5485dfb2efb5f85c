"""Self-supervised training of the Latent Sky default encoder (ls-vit-tiny).

Objective: SimCLR-style NT-Xent on the CLS embedding of two astronomy-aware
views + a dense (iBOT/DenseCL-like) NT-Xent on matched patch tokens, where
view 1 has a random subset of its patches replaced by a mask token, so masked
tokens must predict their matched token of view 2 from context. Patch
correspondences are exact (rotations/flips/whole-patch shifts, augment.py).

Deterministic: seeded torch/numpy, deterministic algorithms, one torch
thread (OpenBLAS threads stay as they are). Run with Debian's python:

  npx tsx native-models/tools/synth-dataset.ts --count 40000 --seed 1001 --out /tmp/ls-data/train2
  nice -n 10 /usr/bin/python3 native-models/ls-vit-tiny/train.py \
      --data /tmp/ls-data/train2 --steps 700 --seed 7 --log-every 10 --out native-models/ls-vit-tiny
  (writes loss.csv and backbone.pt; then export.py, make_fixtures.py, evaluate.py)
"""
import argparse
import csv
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from augment import make_pair, matched_pairs  # noqa: E402
from preprocess import preprocess, sky_sigma  # noqa: E402
from vit import build  # noqa: E402

CONFIG = dict(img=64, patch=8, chans=3, dim=128, depth=4, heads=4, mlp_ratio=4.0)


def head(dim: int, out: int = 128) -> nn.Module:
    return nn.Sequential(nn.Linear(dim, 512), nn.GELU(), nn.Linear(512, out))


def nt_xent(a: torch.Tensor, b: torch.Tensor, tau: float) -> torch.Tensor:
    """Symmetric InfoNCE: row i of a matches row i of b; all other rows are negatives."""
    z = F.normalize(torch.cat([a, b]), dim=1)
    n = a.shape[0]
    sim = z @ z.t() / tau
    sim.fill_diagonal_(float('-inf'))
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, target)


def load(data_dir: str):
    images = np.load(os.path.join(data_dir, 'images.npy'), mmap_mode='r')
    with open(os.path.join(data_dir, 'meta.json')) as f:
        meta = json.load(f)
    return images, meta


def min_sigma_from(meta: dict) -> list:
    """Floor for the per-cutout sky estimate: a tenth of the survey's sky noise."""
    sig = meta.get('skySigma') or meta.get('sky_sigma') or meta.get('noiseSigma')
    if isinstance(sig, dict):
        sig = [sig[b] for b in ('g', 'r', 'z')]
    return [round(0.1 * float(s), 6) for s in sig]


def lr_at(step: int, steps: int, base: float, warmup: int) -> float:
    if step < warmup:
        return base * (step + 1) / warmup
    p = (step - warmup) / max(1, steps - warmup)
    return base * 0.5 * (1 + np.cos(np.pi * p))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--steps', type=int, default=700)
    ap.add_argument('--batch', type=int, default=128)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--seed', type=int, default=7)
    ap.add_argument('--tau', type=float, default=0.2)
    ap.add_argument('--dense-weight', type=float, default=1.0)
    ap.add_argument('--dense-per-image', type=int, default=12)
    ap.add_argument('--mask-ratio', type=float, default=0.3)
    ap.add_argument('--log-every', type=int, default=20)
    args = ap.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.use_deterministic_algorithms(True)
    g = torch.Generator().manual_seed(args.seed)
    rs = np.random.RandomState(args.seed)

    images, meta = load(args.data)
    min_sigma = min_sigma_from(meta)
    n = images.shape[0]
    model = build(CONFIG)
    gh, dh = head(CONFIG['dim']), head(CONFIG['dim'])
    params = list(model.parameters()) + list(gh.parameters()) + list(dh.parameters())
    decay = [p for p in params if p.ndim >= 2]
    no_decay = [p for p in params if p.ndim < 2]
    opt = torch.optim.AdamW([{'params': decay, 'weight_decay': 0.05}, {'params': no_decay, 'weight_decay': 0.0}],
                            lr=args.lr, betas=(0.9, 0.99))
    os.makedirs(args.out, exist_ok=True)
    log_path = os.path.join(args.out, 'loss.csv')
    log = open(log_path, 'w', newline='')
    w = csv.writer(log)
    w.writerow(['step', 'seconds', 'loss', 'global', 'dense', 'lr'])
    order = rs.permutation(n)
    pos = 0
    t0 = time.time()
    warmup = max(1, args.steps // 20)
    acc = np.zeros(3)
    for step in range(args.steps):
        if pos + args.batch > n:
            order, pos = rs.permutation(n), 0
        idx = np.sort(order[pos:pos + args.batch])
        pos += args.batch
        x = torch.from_numpy(np.ascontiguousarray(images[idx], dtype=np.float32))
        x = torch.nan_to_num(x)
        sky = sky_sigma(x).float().clamp_min(torch.tensor(min_sigma))
        v1, s1, v2, s2 = make_pair(x, sky, g)
        v1, v2 = preprocess(v1, min_sigma), preprocess(v2, min_sigma)
        b, ntok = v1.shape[0], s1.shape[1]
        ratio = args.mask_ratio * torch.rand(b, 1, generator=g)
        mask = torch.rand(b, ntok, generator=g) < ratio
        t1 = model.forward_tokens(v1, mask)
        t2 = model.forward_tokens(v2)
        lg = nt_xent(gh(t1[:, 0]), gh(t2[:, 0]), args.tau)
        bi, j1, j2 = matched_pairs(s1, s2, args.dense_per_image, g)
        ld = nt_xent(dh(t1[bi, 1 + j1]), dh(t2[bi, 1 + j2]), args.tau)
        loss = lg + args.dense_weight * ld
        lr = lr_at(step, args.steps, args.lr, warmup)
        for grp in opt.param_groups:
            grp['lr'] = lr
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 3.0)
        opt.step()
        acc += [loss.item(), lg.item(), ld.item()]
        if (step + 1) % args.log_every == 0 or step == args.steps - 1:
            k = (step % args.log_every) + 1
            m = acc / k
            w.writerow([step + 1, round(time.time() - t0, 1), *[round(v, 5) for v in m], f'{lr:.6g}'])
            log.flush()
            print(f'step {step + 1}/{args.steps} {time.time() - t0:.0f}s loss {m[0]:.4f} '
                  f'global {m[1]:.4f} dense {m[2]:.4f} lr {lr:.2e}', flush=True)
            acc[:] = 0
    log.close()
    ckpt = {'config': CONFIG, 'state_dict': model.state_dict(), 'min_sigma': min_sigma,
            'training': {'script': 'native-models/ls-vit-tiny/train.py', 'args': vars(args),
                         'objects': int(n), 'data_seed': meta.get('seed'),
                         'wall_seconds': round(time.time() - t0, 1), 'torch': torch.__version__}}
    torch.save(ckpt, os.path.join(args.out, 'backbone.pt'))
    print(f'done in {time.time() - t0:.0f}s -> {args.out}/backbone.pt', flush=True)


if __name__ == '__main__':
    main()
