"""All-labels ceiling of a representation: class-balanced L2 logistic
regression (the app's probe: lambda = 1 on z-scored features, intercept not
penalised, Newton's method) on every true label, 5-fold stratified CV; per
class the recall at K = class size of the pooled out-of-fold scores. Features are
z-scored and clipped at +-8 as the app does.

usage: ceiling.py DIR   (DIR/labels.npy, DIR/<rep>.npy for each rep in DIR/reps.json)
prints JSON {rep: {class: recall}}
"""
import json
import sys
import numpy as np


def loss(Z, y, c, b, reg):
    z = Z @ b
    s = np.where(y == 1, 1.0, -1.0) * z
    return (c * np.logaddexp(0, -s)).sum() + 0.5 * (reg * b * b).sum()


def fit(X, y, lam=1.0, iters=50):
    """Newton with a backtracking line search on the objective (as app/ml/probe.ts)."""
    n, p = X.shape
    Z = np.hstack([X, np.ones((n, 1))])
    wpos, wall = y.sum(), n
    c = np.where(y == 1, wall / (2 * wpos), wall / (2 * (wall - wpos)))
    b = np.zeros(p + 1)
    reg = np.full(p + 1, lam)
    reg[-1] = 1e-10
    f = loss(Z, y, c, b, reg)
    for _ in range(iters):
        pr = 0.5 * (1 + np.tanh(0.5 * (Z @ b)))
        g = Z.T @ (c * (pr - y)) + reg * b
        H = (Z * (c * pr * (1 - pr))[:, None]).T @ Z + np.diag(reg)
        step = np.linalg.solve(H, g)
        t = 1.0
        for _ in range(30):
            nb = b - t * step
            nf = loss(Z, y, c, nb, reg)
            if nf <= f + 1e-12 * abs(f):
                break
            t /= 2
        done = np.abs(nb - b).max() < 1e-8
        b, f = nb, nf
        if done:
            break
    return b


def main():
    d = sys.argv[1]
    labels = np.load(f"{d}/labels.npy").astype(int)
    meta = json.load(open(f'{d}/reps.json'))
    out = {}
    rng = np.random.default_rng(0)
    folds = np.zeros(len(labels), dtype=int)
    for k in np.unique(labels):
        idx = np.flatnonzero(labels == k)
        rng.shuffle(idx)
        folds[idx] = np.arange(len(idx)) % 5
    for rep in meta['reps']:
        X = np.load(f'{d}/{rep}.npy').astype(np.float64)
        # the app's standardisation (app/ml/representation.ts): z-score, clip at +-8
        X = np.clip((X - X.mean(0)) / np.where(X.std(0) > 0, X.std(0), 1), -8, 8)
        out[rep] = {}
        for name, k in meta['classes'].items():
            y = (labels == k).astype(np.float64)
            s = np.zeros(len(y))
            for f in range(5):
                tr, te = folds != f, folds == f
                b = fit(X[tr], y[tr])
                s[te] = X[te] @ b[:-1] + b[-1]
                K = int(y.sum())
            top = np.argsort(-s)[:K]
            out[rep][name] = float(y[top].sum() / K)
    print(json.dumps(out))


if __name__ == '__main__':
    main()
