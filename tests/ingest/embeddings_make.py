"""Writes small embedding catalogues with independent writers (numpy, h5py, astropy) for
tests/ingest/embeddings.test.ts:  embeddings_make.py OUT_DIR N DIM SEED
  vectors.npy (float32), vectors16.npy (float16), vectors.h5 (/emb/vectors float32),
  table.fits (BINTABLE: id 12A, ra D, dec D, mag_r E, emb <DIM>E), catalog.csv, catalog.vot (astropy VOTable)
Row 3 has a NaN vector, row 7 a dec of 95 (both must be skipped)."""
import sys
import numpy as np
import h5py
from astropy.table import Table

out, n, dim, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = np.random.default_rng(seed)
v = rng.normal(size=(n, dim)).astype(np.float32)
v[3, 2] = np.nan
ra = rng.uniform(0, 360, n)
dec = rng.uniform(-60, 60, n)
dec[7] = 95.0
mag = rng.uniform(17, 23, n).astype(np.float32)
ids = np.array([f"LS{i:06d}" for i in range(n)])
np.save(f"{out}/vectors.npy", v)
np.save(f"{out}/vectors16.npy", v.astype(np.float16))
np.save(f"{out}/vectors16_as32.npy", v.astype(np.float16).astype(np.float32))
with h5py.File(f"{out}/vectors.h5", "w") as f:
    f.create_dataset("emb/vectors", data=v, chunks=(min(n, 64), dim))
    f.create_dataset("ra", data=ra)
t = Table({"id": ids, "ra": ra, "dec": dec, "mag_r": mag, "emb": v})
t.write(f"{out}/table.fits", overwrite=True)
Table({"id": ids, "ra": ra, "dec": dec, "mag_r": mag}).write(f"{out}/catalog.vot", format="votable", overwrite=True)
with open(f"{out}/catalog.csv", "w") as fh:
    fh.write("# made by embeddings_make.py\nid,ra,dec,mag_r\n")
    for i in range(n):
        fh.write(f"{ids[i]},{ra[i]!r},{dec[i]!r},{float(mag[i])!r}\n")
