"""Independent numpy/scipy reference of app/features (the morphology block).

Written from the definitions in app/features/*.ts comments, vectorised, in
float64: sky/MAD by np.median, box filters by scipy.ndimage.uniform_filter
(mode='constant'), sorting by numpy. Conventions follow statmorph
(Rodriguez-Gomez et al. 2019): Petrosian eta = 0.2 with a 1-px annulus,
total aperture 1.5 r_petro, C = 5 log10(r80/r20) (Conselice 2003),
A and S noise-corrected (Conselice 2003), Gini and M20 (Lotz et al. 2004).

usage: morphology_ref.py IN.f32 COUNT BANDS HEIGHT WIDTH OUT.f32
"""
import sys
import numpy as np
from scipy.ndimage import uniform_filter

EDGES = np.array([0, 1.5, 3, 5, 7.5, 10.5, 14, 19, 26], dtype=np.float64)
ZONES = np.array([6, 12, 19, 29], dtype=np.float64)
SKY_R, PEAK_R, SECTORS, STEP, ETA = 26.0, 20.0, 8, 0.5, 0.2
IS2P = 1 / np.sqrt(2 * np.pi)
MAG = 2.5 / np.log(10)


def box(img, w):
    return uniform_filter(img, size=w, mode='constant', cval=0.0)


class Geo:
    def __init__(self, h, w):
        s = min(h, w) / 64
        self.cy, self.cx = h // 2, w // 2
        yy, xx = np.mgrid[0:h, 0:w]
        dx, dy = xx - self.cx, yy - self.cy
        self.d = np.sqrt(dx * dx + dy * dy)
        th = np.arctan2(dy, dx)
        self.th = th
        self.edges, self.zones = EDGES * s, ZONES * s
        self.ann = np.digitize(self.d, self.edges) - 1
        self.ann[self.d >= self.edges[-1]] = -1
        self.sec = np.minimum(SECTORS - 1, np.floor((th + np.pi) / (2 * np.pi) * SECTORS)).astype(int)
        self.zone = np.digitize(self.d, self.zones) - 1
        self.zone[(self.d < self.zones[0]) | (self.d >= self.zones[-1])] = -1
        self.sky = self.d >= SKY_R * s
        self.peak_r = PEAK_R * s
        self.rmax = min(self.cx, self.cy, w - 1 - self.cx, h - 1 - self.cy)
        ry, rx = 2 * self.cy - yy, 2 * self.cx - xx
        self.rot_ok = (rx >= 0) & (rx < w) & (ry >= 0) & (ry < h)
        self.ry, self.rx = np.clip(ry, 0, h - 1), np.clip(rx, 0, w - 1)
        self.A = len(self.edges) - 1
        self.yy, self.xx = yy, xx

    def rot(self, img):
        return np.where(self.rot_ok, img[self.ry, self.rx], 0.0)


def nonparam(x, g):
    K = int(np.floor(g.rmax / STEP))
    radii = np.arange(K + 1) * STEP
    F = np.array([x[g.d < r].sum() for r in radii])
    n = np.array([(g.d < r).sum() for r in radii], dtype=np.float64)
    rp, prev_r, prev_eta = -1.0, -1.0, 0.0
    for k in range(2, K):
        nann = n[k + 1] - n[k - 1]
        if n[k] == 0 or nann == 0:
            continue
        mu_ap = F[k] / n[k]
        if not mu_ap > 0:
            continue
        eta = (F[k + 1] - F[k - 1]) / nann / mu_ap
        if eta < ETA:
            rp = radii[k] if prev_r < 0 else prev_r + (prev_eta - ETA) / (prev_eta - eta) * (radii[k] - prev_r)
            break
        prev_r, prev_eta = radii[k], eta
    if rp < 0:
        rp = g.rmax / 1.5
    kt = min(K, int(np.floor(1.5 * rp / STEP + 0.5)))
    rt, ft = kt * STEP, F[kt]
    if not ft > 0 or kt < 1:
        return [rp, 0, 0, 0, 0, 0, 0, 0]

    def rad(t):
        k = int(np.argmax(F[1:] >= t)) + 1 if np.any(F[1:] >= t) else None
        if k is None:
            return K * STEP
        dd = F[k] - F[k - 1]
        return (k - 1 + ((t - F[k - 1]) / dd if dd > 0 else 0)) * STEP

    r20, r80 = rad(0.2 * ft), rad(0.8 * ft)
    C = 5 * np.log10(r80 / r20) if r20 > 0 else 0.0
    ap = g.d < rt
    a_ok = ap & g.rot_ok
    xr = x[g.ry, g.rx]
    abs_sum = np.abs(x[ap]).sum()
    A = (np.abs(x - xr)[a_ok].sum() - 2 / np.sqrt(np.pi) * a_ok.sum()) / abs_sum if abs_sum > 0 else 0.0
    w = max(3, 2 * int(np.floor(rp / 8)) + 1)
    xs = box(x, w)
    sm = ap & (g.d >= 0.25 * rp)
    sflux = x[sm].sum()
    S = ((np.maximum(x - xs, 0)[sm].sum() - sm.sum() * np.sqrt(1 - 1 / w ** 2) * IS2P) / sflux) if sflux > 0 else 0.0
    kp = max(1, min(K - 1, int(np.floor(rp / STEP + 0.5))))
    nring = n[kp + 1] - n[kp - 1]
    thr = max(0.0, (F[kp + 1] - F[kp - 1]) / nring if nring > 0 else 0.0)
    seg = ap & (x > thr)
    if seg.sum() < 2:
        return [rp, r20, r80, C, A, S, 0, 0]
    v = x[seg]
    m = v.size
    srt = np.sort(v)
    G = ((2 * np.arange(1, m + 1) - m - 1) * srt).sum() / (srt.mean() * m * (m - 1))
    xc = (v * g.xx[seg]).sum() / v.sum()
    yc = (v * g.yy[seg]).sum() / v.sum()
    mi = v * ((g.xx[seg] - xc) ** 2 + (g.yy[seg] - yc) ** 2)
    desc = srt[::-1]
    frac = np.cumsum(desc) >= 0.2 * v.sum()
    t20 = desc[np.argmax(frac)] if frac.any() else desc[-1]
    m20s = mi[v >= t20].sum()
    M20 = np.log10(m20s / mi.sum()) if mi.sum() > 0 and m20s > 0 else 0.0
    return [rp, r20, r80, C, A, S, G, M20]


def features(img, g):
    nb = img.shape[0]
    xs, sig = [], []
    for b in range(nb):
        p = img[b].astype(np.float64)
        sv = p[g.sky & np.isfinite(p)]
        sky = np.median(sv) if sv.size else 0.0
        s = 1.4826 * np.median(np.abs(sv - sky)) if sv.size else 0.0
        s = s if s > 0 else 1.0
        sig.append(s)
        xs.append(np.where(np.isfinite(p), (p - sky) / s, 0.0))
    A = g.A
    prof, sums, spread, m1, m2 = [], [], [], [], []
    for b in range(nb):
        x = xs[b]
        pm, ps = [], []
        for a in range(A):
            msk = g.ann == a
            N, S = msk.sum(), x[msk].sum()
            pm.append(S / N)
            ps.append(S)
            secm = [x[msk & (g.sec == s)].mean() for s in range(SECTORS) if (msk & (g.sec == s)).any()]
            spread.append(np.std(secm) / (abs(S / N) + 1 / np.sqrt(N / SECTORS)))
            den = abs(S) + np.sqrt(N)
            th = g.th[msk]
            m1.append(abs((x[msk] * np.exp(1j * th)).sum()) / den)
            m2.append(abs((x[msk] * np.exp(2j * th)).sum()) / den)
        prof.append(pm)
        sums.append(ps)
    out = [np.arcsinh(prof[b][a]) for b in range(nb) for a in range(A)] + spread + m1 + m2

    def colour(sb, sc, nn, b):
        return -MAG * (np.arcsinh(sb / (2 * np.sqrt(nn))) - np.arcsinh(sc / (2 * np.sqrt(nn)))) - 2.5 * np.log10(sig[b] / sig[b + 1])

    counts = [(g.ann == a).sum() for a in range(A)]
    out += [colour(sums[b][a], sums[b + 1][a], counts[a], b) for b in range(nb - 1) for a in range(A)]
    resid, det = [], np.zeros_like(xs[0])
    for b in range(nb):
        prof_img = np.where(g.ann >= 0, np.array(prof[b])[np.clip(g.ann, 0, A - 1)], 0.0)
        r = np.where(g.ann >= 0, xs[b] - prof_img, 0.0)
        resid.append(r)
        rs = 3 * box(r, 3)
        det += rs / np.sqrt(nb)
        out += [np.maximum(rs, 0)[g.ann == a].sum() / counts[a] - IS2P for a in range(A)]
    zone = (g.ann >= 1) & (g.ann <= A - 2)
    M = zone & (det > 2)
    mA = M.sum()
    out.append(mA / zone.sum())
    out.append(np.arcsinh(det[M].sum() / np.sqrt(mA) if mA else 0.0))
    out += [colour(resid[b][M].sum(), resid[b + 1][M].sum(), mA, b) if mA else 0.0 for b in range(nb - 1)]
    d = sum(xs) / np.sqrt(nb)
    q = 5 * box(np.where(g.rot_ok, (d - g.rot(d)) / np.sqrt(2), 0.0), 5)
    ls = 5 * box(d, 5)
    Z = len(g.zones) - 1
    out += [np.maximum(q, 0)[g.zone == z].sum() / (g.zone == z).sum() - IS2P for z in range(Z)]
    out += [(q > 2)[g.zone == z].sum() / (g.zone == z).sum() for z in range(Z)]
    out += [np.arcsinh(ls[g.zone == z].mean()) for z in range(Z)]
    sm = box(d, 3)
    c = sm[1:-1, 1:-1]
    is_max = np.ones_like(c, dtype=bool)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            if dy or dx:
                is_max &= c - 1e-6 > sm[1 + dy:sm.shape[0] - 1 + dy, 1 + dx:sm.shape[1] - 1 + dx]
    v3 = 3 * c
    inner = g.d[1:-1, 1:-1] < g.peak_r
    out += [float((is_max & inner & (v3 > 5)).sum()), float((is_max & inner & (v3 > 15)).sum())]
    out += nonparam(xs[nb // 2], g)
    out = np.array(out, dtype=np.float64)
    out[~np.isfinite(out)] = 0
    return out


def main():
    path, count, nb, h, w, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
    data = np.fromfile(path, dtype='<f4').reshape(count, nb, h, w)
    g = Geo(h, w)
    np.stack([features(data[i], g) for i in range(count)]).astype('<f4').tofile(out)


if __name__ == '__main__':
    main()
