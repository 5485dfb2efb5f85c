"""Evaluate ls-vit-tiny against the same architecture at random initialisation
and against 128-component PCA of the preprocessed pixels, on a held-out
synthetic sample (a seed the training never saw).

Protocol (deterministic):
- stratified 50/50 split of the held-out objects into reference/probe-train
  and test halves (seeded per class);
- (a) k-NN accuracy: k=10, cosine, plain majority vote among the 10 nearest
  reference objects (ties go to the class of the nearest tied neighbour);
- (b) for each rare class c, the app's one-vs-rest linear probe (binary logistic
  regression, z-scored features, class-balanced, L2 lambda = 1; app/ml/probe.ts)
  trained on the reference half; recall@2K = fraction of the test members of c
  found among the 2K test objects with the highest probe score, K = number of
  test members of c.

  /usr/bin/python3 native-models/ls-vit-tiny/evaluate.py --data /tmp/ls-data/heldout \
      --checkpoint native-models/ls-vit-tiny/backbone.pt --out native-models/ls-vit-tiny/eval.json
"""
import argparse
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export import load_model  # noqa: E402
from preprocess import preprocess  # noqa: E402

RARE = ['lens', 'ring', 'tidal', 'merger']


def split(labels: np.ndarray, seed: int):
    rs = np.random.RandomState(seed)
    tr, te = [], []
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        rs.shuffle(idx)
        h = (len(idx) + 1) // 2
        tr += list(idx[:h])
        te += list(idx[h:])
    return np.sort(tr), np.sort(te)


def knn_accuracy(ftr, ytr, fte, yte, k: int = 10) -> float:
    a = F.normalize(torch.as_tensor(ftr, dtype=torch.float64), dim=1)
    b = F.normalize(torch.as_tensor(fte, dtype=torch.float64), dim=1)
    nn_idx = torch.cat([torch.topk(b[i:i + 2048] @ a.t(), k, dim=1).indices
                        for i in range(0, b.shape[0], 2048)]).numpy()
    correct = 0
    for i, row in enumerate(nn_idx):
        votes = ytr[row]
        counts = np.bincount(votes, minlength=ytr.max() + 1)
        best = np.flatnonzero(counts == counts.max())
        pred = next(v for v in votes if v in best)
        correct += int(pred == yte[i])
    return correct / len(yte)


def probe_scores(ftr, ytr_bin, fte, l2: float = 1.0) -> np.ndarray:
    """The app's probe (app/ml/probe.ts): binary logistic regression on z-scored features,
    class-balanced weights n/(2 n_class), minimising sum_i c_i log(1+exp(-s_i z_i)) + l2/2 |w|^2
    (intercept not penalised). Returns test logits."""
    xtr = torch.as_tensor(ftr, dtype=torch.float64)
    mu, sd = xtr.mean(0), xtr.std(0, unbiased=False)
    sd = torch.where(sd > 0, sd, torch.ones_like(sd))
    xtr = (xtr - mu) / sd
    xte = (torch.as_tensor(fte, dtype=torch.float64) - mu) / sd
    y = torch.as_tensor(ytr_bin, dtype=torch.float64)
    n, npos = len(y), float(y.sum())
    c = torch.where(y > 0, n / (2 * npos), n / (2 * (n - npos)))
    sgn = 2 * y - 1
    w = torch.zeros(xtr.shape[1], dtype=torch.float64, requires_grad=True)
    b = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([w, b], lr=1, max_iter=200, history_size=20, tolerance_grad=1e-9,
                            line_search_fn='strong_wolfe')

    def closure():
        opt.zero_grad()
        loss = (c * F.softplus(-sgn * (xtr @ w + b))).sum() + 0.5 * l2 * (w ** 2).sum()
        loss.backward()
        return loss
    opt.step(closure)
    with torch.no_grad():
        return (xte @ w + b).numpy()


def recall_at_2k(prob_c: np.ndarray, is_c: np.ndarray) -> float:
    m = int(is_c.sum())
    top = np.argsort(-prob_c, kind='stable')[:2 * m]
    return float(is_c[top].sum() / m)


def embed(model, x: torch.Tensor, batch: int = 256) -> dict:
    """Readouts of the final-norm tokens: CLS, mean patch token, and their sum (export.py --readout)."""
    cls, mean = [], []
    with torch.no_grad():
        for i in range(0, x.shape[0], batch):
            t = model.forward_tokens(x[i:i + batch])
            cls.append(t[:, 0])
            mean.append(t[:, 1:].mean(1))
    cls, mean = torch.cat(cls), torch.cat(mean)
    return {'cls': cls.numpy(), 'mean': mean.numpy(), 'cls+mean': (cls + mean).numpy()}


def pixel_pca(xtr: np.ndarray, xte: np.ndarray, comps: int = 128, fit: int = 2000):
    """PCA of the preprocessed pixels fitted on the first `fit` reference objects
    (eigenvectors of their Gram matrix), applied to both halves."""
    a = torch.as_tensor(xtr.reshape(len(xtr), -1))
    mu = a[:fit].mean(0)
    xc = a[:fit] - mu
    vals, vecs = torch.linalg.eigh((xc @ xc.t()).double())
    top = torch.argsort(vals, descending=True)[:comps]
    v = (xc.t().double() @ (vecs[:, top] / vals[top].clamp_min(1e-12).sqrt())).float()
    b = torch.as_tensor(xte.reshape(len(xte), -1))
    return ((a - mu) @ v).numpy(), ((b - mu) @ v).numpy()


def evaluate(feats_tr, feats_te, ytr, yte, names) -> dict:
    res = {'knn10': knn_accuracy(feats_tr, ytr, feats_te, yte)}
    res['rareRecallAt2K'] = {r: recall_at_2k(probe_scores(feats_tr, ytr == names.index(r), feats_te), yte == names.index(r))
                             for r in RARE}
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', required=True)
    ap.add_argument('--checkpoint', required=True)
    ap.add_argument('--random-init', type=int, default=7)
    ap.add_argument('--split-seed', type=int, default=0)
    ap.add_argument('--out')
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(0)
    with open(os.path.join(args.data, 'meta.json')) as f:
        meta = json.load(f)
    names = list(meta.get('classNames') or meta.get('classes'))
    raw = np.load(os.path.join(args.data, 'images.npy'), mmap_mode='r')
    y = np.load(os.path.join(args.data, 'labels.npy')).astype(np.int64)
    trained, ck = load_model(args.checkpoint)
    rand, _ = load_model(random_init=args.random_init)
    x = torch.cat([preprocess(torch.from_numpy(np.array(raw[i:i + 512])), ck['min_sigma']) for i in range(0, len(raw), 512)])
    tr, te = split(y, args.split_seed)
    counts = {n: int((y == i).sum()) for i, n in enumerate(names)}
    print('held-out class counts', counts, flush=True)
    results = {}
    for label, model in [('trained', trained), ('random-init', rand)]:
        for readout, f in embed(model, x).items():
            key = f'{label}/{readout}'
            results[key] = evaluate(f[tr], f[te], y[tr], y[te], names)
            print(key, json.dumps(results[key]), flush=True)
    ptr, pte = pixel_pca(x[tr].numpy(), x[te].numpy())
    results['pixel-pca128'] = evaluate(ptr, pte, y[tr], y[te], names)
    print('pixel-pca128', json.dumps(results['pixel-pca128']), flush=True)
    out = {'data': args.data, 'dataSeed': meta.get('seed'), 'objects': len(y), 'classCounts': counts,
           'testCounts': {n: int((y[te] == i).sum()) for i, n in enumerate(names)}, 'results': results}
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(out, f, indent=2)
    for readout in ('cls', 'mean', 'cls+mean'):
        t, rnd, pca = results[f'trained/{readout}'], results[f'random-init/{readout}'], results['pixel-pca128']
        ok = all(t['rareRecallAt2K'][r] > max(rnd['rareRecallAt2K'][r], pca['rareRecallAt2K'][r]) for r in RARE) and \
            t['knn10'] > max(rnd['knn10'], pca['knn10'])
        print(f'trained/{readout} beats random init ({readout}) and pixel PCA on k-NN and every rare class: {ok}')


if __name__ == '__main__':
    main()
