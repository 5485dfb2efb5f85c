import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEmbeddingView, type EmbeddingView } from '@main/node/discovery/embedding-view';
import { runProbeRound } from '@main/node/discovery/probe-round';
import { exportCandidates, exportEmbeddings } from '@main/node/export/write-export';
import type { Workspace } from '@main/node/workspace';
import { makeFixtureWorkspace } from './fixture-workspace';

const root = mkdtempSync(join(tmpdir(), 'ls-export-'));
let ws: Workspace;
let view: EmbeddingView;
const py = (code: string, ...args: string[]) => JSON.parse(execFileSync('/usr/bin/python3', ['-c', code, ...args]).toString());

beforeAll(() => {
  ws = makeFixtureWorkspace(join(root, 'ws'), 400, { embedUpTo: 390 });
  view = loadEmbeddingView(ws);
  ws.labels.createSearch('rings & things');
  const truth = ws.truthColumn();
  const rings = truth.flatMap((t, i) => (t === 'ring' ? [i] : []));
  const others = truth.flatMap((t, i) => (t !== 'ring' && i < 390 ? [i] : []));
  ws.labels.setMany('rings & things', [
    ...rings.slice(0, 4).map((idx) => ({ idx, label: 'positive' as const })),
    ...others.slice(0, 5).map((idx) => ({ idx, label: 'negative' as const })),
    { idx: others[6], label: 'unsure' as const },
  ]);
  runProbeRound(ws, view, 'rings & things');
});
afterAll(() => {
  ws.close();
  rmSync(root, { recursive: true, force: true });
});

const readBack = `
import sys, json, numpy as np
from astropy.table import Table
t = Table.read(sys.argv[1], format=sys.argv[2])
print(json.dumps({'names': t.colnames, 'n': len(t), 'id': [str(x).strip() for x in t['id']], 'label': [str(x).strip() if not np.ma.is_masked(x) else '' for x in t['label']],
  'score': [float(x) for x in t['score']], 'ra': [float(x) for x in t['ra']], 'search': str(t['search'][0]).strip(), 'model': str(t['model'][0]).strip(),
  'ra_unit': str(t['ra'].unit) if t['ra'].unit is not None else None}))
`;

describe('exports read back by astropy', () => {
  for (const [format, astropyFormat] of [
    ['votable', 'votable'],
    ['fits', 'fits'],
    ['csv', 'ascii.csv'],
  ] as const) {
    it(`${format}: candidates and labels with ra, dec, id, score, label, search, model`, () => {
      const out = join(root, `cands.${format}`);
      const rep = exportCandidates(ws, view, 'rings & things', out, format, 50);
      expect(rep.rows).toBe(60);
      const t = py(readBack, out, astropyFormat);
      const names = (t.names as string[]).map((s) => s.toLowerCase());
      for (const c of ['ra', 'dec', 'id', 'score', 'label', 'search', 'model']) expect(names).toContain(c);
      expect(t.n).toBe(60);
      expect(t.search).toBe('rings & things');
      expect(t.model).toBe('test-model');
      expect((t.label as string[]).filter((l) => l === 'positive').length).toBe(4);
      expect((t.label as string[]).filter((l) => l === 'unsure').length).toBe(1);
      const scores = t.score as number[];
      for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeLessThanOrEqual(scores[i - 1]);
      const first = ws.getObject(ws.findById(t.id[0])!);
      expect(t.ra[0]).toBeCloseTo(first.ra, 9);
      if (format !== 'csv') expect(t.ra_unit).toBe('deg');
    });
  }

  it('embeddings as .npy (numpy) and as a FITS image + object table (astropy)', () => {
    const npy = join(root, 'emb.npy');
    exportEmbeddings(ws, view, npy, 'npy');
    const a = py(
      `import sys, json, numpy as np
m = np.load(sys.argv[1]); print(json.dumps({'shape': list(m.shape), 'dtype': str(m.dtype), 'row3': m[3].tolist(), 'nan': int(np.isnan(m[:, 0]).sum())}))`,
      npy,
    );
    expect(a.shape).toEqual([400, 32]);
    expect(a.dtype).toBe('float32');
    expect(a.nan).toBe(10);
    const raw = ws.embeddings('test-model').read(3);
    (a.row3 as number[]).forEach((v, j) => expect(v).toBe(raw[j]));
    const fits = join(root, 'emb.fits');
    exportEmbeddings(ws, view, fits, 'fits');
    const b = py(
      `import sys, json, numpy as np
from astropy.io import fits
h = fits.open(sys.argv[1]); img = h['EMBEDDINGS'].data; t = h['OBJECTS'].data
print(json.dumps({'shape': list(img.shape), 'row3': img[3].astype(float).tolist(), 'id5': str(t['ID'][5]), 'model': h['EMBEDDINGS'].header['MODEL']}))`,
      fits,
    );
    expect(b.shape).toEqual([400, 32]);
    expect(b.id5).toBe('obj-5');
    expect(b.model).toBe('test-model');
    (b.row3 as number[]).forEach((v, j) => expect(v).toBe(raw[j]));
    expect(readFileSync(npy).subarray(1, 6).toString()).toBe('NUMPY');
  });
});
