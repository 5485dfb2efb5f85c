"""Self-supervised training of ls-vit-lsb: the ls-vit-tiny ViT (vit.py) with a
stretch that keeps low-surface-brightness light (sky_asinh k = 1) and an
objective that must keep small-scale colour and structure:

  global  NT-Xent on the CLS token of two views (SimCLR);
  dense   NT-Xent on matched patch tokens, view 1 partly masked (iBOT-like:
          masked tokens must predict their partner in view 2 from context);
  pixels  masked-patch reconstruction: a linear head predicts the 8x8x3
          preprocessed pixels of every masked patch of view 1 (Huber loss), so
          the tokens must carry colour and structure at the 2 arcsec scale.

Views (augment.py) prepare it for real images: pixel-scale resampling
0.1-1 arcsec/px, Moffat PSFs, sub-pixel shifts, noise levels, rotations/flips,
8-bit RGB photographs with JPEG compression. Rare classes may be oversampled
(--rare-weight; labels choose what is drawn, never enter the loss).

Device auto-detected (CUDA when present); augmentation runs on the CPU.
Time-boxed: training stops at --minutes or --steps, whichever first; the
learning rate follows a cosine over that budget.

  npx tsx native-models/tools/synth-dataset.ts --count 200000 --seed 3003 --out /tmp/enc-data/train200k
  nice -n 10 /usr/bin/python3 native-models/ls-vit-lsb/train.py --data /tmp/enc-data/train200k \
      --minutes 60 --out /tmp/enc-data/run
GPU (see README.md): --size base --batch 512 --threads 8 --minutes 9
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

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(1, os.path.join(HERE, '..', 'ls-vit-tiny'))
from augment import make_pair  # noqa: E402
from preprocess import preprocess, sky_sigma  # noqa: E402  (ls-vit-tiny: the manifest's transform)
from vit import build  # noqa: E402  (ls-vit-tiny: the architecture)

SKY_K = 1.0
SIZES = {
    'tiny': dict(img=64, patch=8, chans=3, dim=128, depth=4, heads=4, mlp_ratio=4.0),
    'base': dict(img=64, patch=8, chans=3, dim=256, depth=8, heads=8, mlp_ratio=4.0),
}
RARE = ('lens', 'ring', 'tidal', 'merger')


def head(dim: int, out: int = 128) -> nn.Module:
    return nn.Sequential(nn.Linear(dim, 512), nn.GELU(), nn.Linear(512, out))


def nt_xent(a: torch.Tensor, b: torch.Tensor, tau: float) -> torch.Tensor:
    z = F.normalize(torch.cat([a, b]), dim=1)
    n = a.shape[0]
    sim = z @ z.t() / tau
    sim.fill_diagonal_(float('-inf'))
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)]).to(a.device)
    return F.cross_entropy(sim, target)


def matched_pairs(s1: torch.Tensor, s2: torch.Tensor, per_image: int, g: torch.Generator):
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


def patches_of(x: torch.Tensor, p: int = 8) -> torch.Tensor:
    """[B, C, H, W] -> [B, (H/p)*(W/p), C*p*p], row-major grid (the ViT's token order)."""
    b, c, h, w = x.shape
    t = x.reshape(b, c, h // p, p, w // p, p).permute(0, 2, 4, 1, 3, 5)
    return t.reshape(b, (h // p) * (w // p), c * p * p)


def load(data_dir: str):
    images = np.load(os.path.join(data_dir, 'images.npy'), mmap_mode='r')
    with open(os.path.join(data_dir, 'meta.json')) as f:
        meta = json.load(f)
    labels = np.load(os.path.join(data_dir, 'labels.npy'))
    return images, labels, meta


def min_sigma_from(meta: dict) -> list:
    sig = meta['sky_sigma']
    return [round(0.1 * float(sig[b]), 6) for b in ('g', 'r', 'z')]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('--size', choices=sorted(SIZES), default='tiny')
    ap.add_argument('--minutes', type=float, default=60.0)
    ap.add_argument('--steps', type=int, default=100000)
    ap.add_argument('--batch', type=int, default=128)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--seed', type=int, default=11)
    ap.add_argument('--tau', type=float, default=0.2)
    ap.add_argument('--dense-weight', type=float, default=1.0)
    ap.add_argument('--pixel-weight', type=float, default=1.0)
    ap.add_argument('--dense-per-image', type=int, default=12)
    ap.add_argument('--mask-ratio', type=float, default=0.5)
    ap.add_argument('--photo-p', type=float, default=0.4)
    ap.add_argument('--rare-weight', type=float, default=4.0)
    ap.add_argument('--init', help='warm start: a backbone.pt of the same size (e.g. ls-vit-tiny)')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--device', default='auto')
    ap.add_argument('--log-every', type=int, default=20)
    ap.add_argument('--save-every', type=int, default=200)
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    dev = torch.device('cuda' if args.device == 'auto' and torch.cuda.is_available() else
                       ('cpu' if args.device == 'auto' else args.device))
    g = torch.Generator().manual_seed(args.seed)
    rs = np.random.RandomState(args.seed)

    images, labels, meta = load(args.data)
    min_sigma = min_sigma_from(meta)
    n = images.shape[0]
    rare = [meta['classes'].index(c) for c in RARE if c in meta['classes']]
    wts = np.where(np.isin(labels, rare), args.rare_weight, 1.0)
    wts = wts / wts.sum()
    config = SIZES[args.size]
    model = build(config).to(dev)
    if args.init:
        ck = torch.load(args.init, map_location='cpu')
        if ck['config'] != config:
            raise SystemExit(f"--init {args.init}: config {ck['config']} is not --size {args.size}")
        model.load_state_dict(ck['state_dict'])
        model.to(dev)
    dim = config['dim']
    gh, dh = head(dim).to(dev), head(dim).to(dev)
    ph = nn.Linear(dim, 3 * 8 * 8).to(dev)
    params = [p for m in (model, gh, dh, ph) for p in m.parameters()]
    decay = [p for p in params if p.ndim >= 2]
    no_decay = [p for p in params if p.ndim < 2]
    opt = torch.optim.AdamW([{'params': decay, 'weight_decay': 0.05}, {'params': no_decay, 'weight_decay': 0.0}],
                            lr=args.lr, betas=(0.9, 0.99))
    os.makedirs(args.out, exist_ok=True)
    log = open(os.path.join(args.out, 'loss.csv'), 'w', newline='')
    w = csv.writer(log)
    w.writerow(['step', 'seconds', 'loss', 'global', 'dense', 'pixel', 'lr'])
    budget = args.minutes * 60.0
    t0 = time.time()
    acc = np.zeros(4)
    seen = 0
    ms = torch.tensor(min_sigma)

    def save(step: int) -> None:
        ckpt = {'config': config, 'state_dict': {k: v.cpu() for k, v in model.state_dict().items()},
                'min_sigma': min_sigma, 'sky_k': SKY_K,
                'training': {'script': 'native-models/ls-vit-lsb/train.py', 'args': vars(args), 'init': args.init, 'steps': step,
                             'stamps_seen': seen, 'objects': int(n), 'data_seed': meta.get('seed'),
                             'wall_seconds': round(time.time() - t0, 1), 'torch': torch.__version__,
                             'device': str(dev)}}
        torch.save(ckpt, os.path.join(args.out, 'backbone.pt.partial'))
        os.replace(os.path.join(args.out, 'backbone.pt.partial'), os.path.join(args.out, 'backbone.pt'))

    step = 0
    warm = 0.03
    while step < args.steps:
        prog = max(step / args.steps, (time.time() - t0) / budget)
        if prog >= 1:
            break
        lr = args.lr * (prog / warm if prog < warm else 0.5 * (1 + np.cos(np.pi * (prog - warm) / (1 - warm))))
        for grp in opt.param_groups:
            grp['lr'] = lr
        idx = np.sort(rs.choice(n, size=args.batch, p=wts))
        x = torch.from_numpy(np.ascontiguousarray(images[idx], dtype=np.float32))
        x = torch.nan_to_num(x)
        sky = sky_sigma(x).float().clamp_min(ms)
        (v1, s1, _), (v2, s2, _) = make_pair(x, sky, g, args.photo_p)
        v1, v2 = preprocess(v1, min_sigma, SKY_K), preprocess(v2, min_sigma, SKY_K)
        b, ntok = v1.shape[0], s1.shape[1]
        mask = torch.rand(b, ntok, generator=g) < args.mask_ratio * torch.rand(b, 1, generator=g)
        bi, j1, j2 = matched_pairs(s1, s2, args.dense_per_image, g)
        target = patches_of(v1)[mask]
        v1, v2, mask_d = v1.to(dev), v2.to(dev), mask.to(dev)
        t1 = model.forward_tokens(v1, mask_d)
        t2 = model.forward_tokens(v2)
        lg = nt_xent(gh(t1[:, 0]), gh(t2[:, 0]), args.tau)
        ld = nt_xent(dh(t1[bi.to(dev), 1 + j1.to(dev)]), dh(t2[bi.to(dev), 1 + j2.to(dev)]), args.tau)
        if int(mask.sum()) > 0:
            lp = F.smooth_l1_loss(ph(t1[:, 1:][mask_d]), target.to(dev))
        else:
            lp = torch.zeros((), device=dev)
        loss = lg + args.dense_weight * ld + args.pixel_weight * lp
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 3.0)
        opt.step()
        step += 1
        seen += 2 * b
        acc += [loss.item(), lg.item(), ld.item(), lp.item()]
        if step % args.log_every == 0:
            m = acc / args.log_every
            w.writerow([step, round(time.time() - t0, 1), *[round(v, 5) for v in m], f'{lr:.6g}'])
            log.flush()
            print(f'step {step} {time.time() - t0:.0f}s loss {m[0]:.4f} global {m[1]:.4f} dense {m[2]:.4f} '
                  f'pixel {m[3]:.4f} lr {lr:.2e} views {seen}', flush=True)
            acc[:] = 0
        if step % args.save_every == 0:
            save(step)
    log.close()
    save(step)
    print(f'done: {step} steps, {seen} views, {time.time() - t0:.0f}s -> {args.out}/backbone.pt', flush=True)


if __name__ == '__main__':
    main()
