"""10-NN type accuracy (leave-one-out) on the real-image check set (real-set.ts)
for encoder embeddings and for baselines of the same 8-bit cutouts:

  embedding      cosine (the app's metric), one per --emb NAME=FILE.npy (real-embed.ts)
  pixel PCA      32 principal components of the raw pixels / 255, Euclidean
  radial profile per band, the azimuthal mean in 12 annuli (r < 32 px) of the
                 pixels / 255, and per annulus the colours log(1+g)-log(1+r),
                 log(1+r)-log(1+z); columns z-scored, Euclidean
  majority       always the most common class

  --ckpt NAME=backbone.pt:READOUT  a checkpoint through PyTorch (ls-vit-tiny's preprocess.py with the
                 checkpoint's sky_k; READOUT cls, mean or cls+mean), to compare readouts before exporting;
                 --u8-min-sigma F: a what-if, the sky_asinh floor for these 8-bit pictures set to F counts
                 instead of the manifest's (nanomaggies) floor — not what the app does today

usage: real-check.py --set DIR [--emb NAME=FILE.npy ...] [--ckpt NAME=FILE:READOUT ...] [--k 10] [--out FILE.json]
Ties in the vote go to the class of the nearest neighbour among the tied ones.
Unsupervised transforms (PCA, z-scoring) use all images; no label is used but the vote.
"""
import argparse
import csv
import json
import os

import numpy as np


def knn_loo(F: np.ndarray, y: np.ndarray, k: int, metric: str) -> np.ndarray:
    if metric == 'cosine':
        Z = F / np.maximum(np.linalg.norm(F, axis=1, keepdims=True), 1e-12)
        D = -(Z @ Z.T)
    else:
        sq = (F * F).sum(1)
        D = sq[:, None] + sq[None, :] - 2 * F @ F.T
    np.fill_diagonal(D, np.inf)
    nn = np.argsort(D, axis=1, kind='stable')[:, :k]
    pred = np.empty(len(y), dtype=y.dtype)
    for i in range(len(y)):
        votes = np.bincount(y[nn[i]], minlength=y.max() + 1)
        top = np.flatnonzero(votes == votes.max())
        pred[i] = next(y[j] for j in nn[i] if y[j] in top)
    return pred


def pixel_pca(X: np.ndarray, comps: int = 32) -> np.ndarray:
    A = X.reshape(len(X), -1) / 255.0
    A = A - A.mean(0)
    U, S, _ = np.linalg.svd(A, full_matrices=False)
    return U[:, :comps] * S[:comps]


def radial_profiles(X: np.ndarray, annuli: int = 12) -> np.ndarray:
    n, c, h, w = X.shape
    yy, xx = np.mgrid[0:h, 0:w]
    r = np.hypot(yy - (h - 1) / 2, xx - (w - 1) / 2)
    edges = np.linspace(0, min(h, w) / 2, annuli + 1)
    prof = np.zeros((n, c, annuli))
    for a in range(annuli):
        m = (r >= edges[a]) & (r < edges[a + 1])
        prof[:, :, a] = X[:, :, m].mean(axis=2) / 255.0
    lg = np.log1p(prof)
    F = np.concatenate([prof.reshape(n, -1), (lg[:, 0] - lg[:, 1]), (lg[:, 1] - lg[:, 2])], axis=1)
    return (F - F.mean(0)) / np.maximum(F.std(0), 1e-12)


def ckpt_embed(spec: str, X: np.ndarray, u8_floor: float = None) -> np.ndarray:
    import sys
    import torch
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.join(here, '..', 'ls-vit-tiny'))
    from preprocess import preprocess
    from vit import build
    path, readout = spec.rsplit(':', 1)
    ck = torch.load(path, map_location='cpu')
    m = build(ck['config']).eval()
    m.load_state_dict(ck['state_dict'])
    floor = [u8_floor] * 3 if u8_floor else ck['min_sigma']
    x = preprocess(torch.from_numpy(X.astype(np.float32)), floor, float(ck.get('sky_k', 3.0)))
    with torch.no_grad():
        t = torch.cat([m.forward_tokens(x[i:i + 64]) for i in range(0, len(x), 64)])
    cls, mean = t[:, 0], t[:, 1:].mean(1)
    return {'cls': cls, 'mean': mean, 'cls+mean': cls + mean}[readout].numpy()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--set', required=True)
    ap.add_argument('--emb', action='append', default=[])
    ap.add_argument('--ckpt', action='append', default=[])
    ap.add_argument('--u8-min-sigma', type=float)
    ap.add_argument('--k', type=int, default=10)
    ap.add_argument('--out')
    args = ap.parse_args()
    X = np.load(os.path.join(args.set, 'images.npy')).astype(np.float64)
    with open(os.path.join(args.set, 'labels.csv')) as f:
        cls = [row['class'] for row in csv.DictReader(f)]
    names = sorted(set(cls))
    y = np.array([names.index(c) for c in cls])
    reps = {}
    for e in args.emb:
        name, path = e.split('=', 1)
        reps[name] = (np.load(path).astype(np.float64), 'cosine')
    for e in args.ckpt:
        name, spec = e.split('=', 1)
        reps[name] = (ckpt_embed(spec, X, args.u8_min_sigma).astype(np.float64), 'cosine')
    reps['pixel PCA (32)'] = (pixel_pca(X), 'euclidean')
    reps['radial colour profiles'] = (radial_profiles(X), 'euclidean')
    res = {'n': int(len(y)), 'k': args.k, 'classes': {c: int((y == i).sum()) for i, c in enumerate(names)}, 'accuracy': {}, 'per_class_recall': {}}
    for name, (F, metric) in reps.items():
        pred = knn_loo(F, y, args.k, metric)
        res['accuracy'][name] = round(float((pred == y).mean()), 4)
        res['per_class_recall'][name] = {c: round(float((pred[y == i] == i).mean()), 3) for i, c in enumerate(names)}
    maj = np.bincount(y).argmax()
    res['accuracy']['majority class'] = round(float((y == maj).mean()), 4)
    text = json.dumps(res, indent=1)
    if args.out:
        with open(args.out, 'w') as f:
            f.write(text + '\n')
    print(text)


if __name__ == '__main__':
    main()
