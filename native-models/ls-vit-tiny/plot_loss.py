"""Plot loss.csv (train.py's log) to loss.png.

  /usr/bin/python3 native-models/ls-vit-tiny/plot_loss.py native-models/ls-vit-tiny/loss.csv
"""
import csv
import os
import sys

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

path = sys.argv[1]
with open(path) as f:
    rows = list(csv.DictReader(f))
step = [int(r['step']) for r in rows]
fig, ax = plt.subplots(figsize=(6, 3.5), dpi=100)
for key, label in (('loss', 'total'), ('global', 'global NT-Xent (CLS)'), ('dense', 'dense NT-Xent (patches)')):
    ax.plot(step, [float(r[key]) for r in rows], label=label)
ax.set_xlabel('step (batch 128 pairs)')
ax.set_ylabel('loss')
ax.set_title('ls-vit-tiny self-supervised training')
ax.grid(alpha=0.3)
ax.legend()
fig.tight_layout()
fig.savefig(os.path.join(os.path.dirname(path), 'loss.png'))
