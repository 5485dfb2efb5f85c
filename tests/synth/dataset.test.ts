/**
 * native-models/tools/synth-dataset.ts as the training helper runs it: a real
 * process, read back with numpy.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLASS_NAMES, surveyObject } from '@app/synth/index';

const root = resolve(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'synth-dataset-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('synth-dataset dump', () => {
  it('writes images.npy, labels.npy and meta.json that numpy reads and that match surveyObject', () => {
    const out = join(dir, 'd');
    const r = spawnSync('npx', ['tsx', 'native-models/tools/synth-dataset.ts', '--count', '37', '--seed', '12', '--out', out, '--workers', '2'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(out, 'images.npy.partial'))).toBe(false);
    const py = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        `
import numpy as np, json, sys
a = np.load(sys.argv[1] + '/images.npy'); l = np.load(sys.argv[1] + '/labels.npy')
print(json.dumps({'shape': a.shape, 'dtype': str(a.dtype), 'lshape': l.shape, 'ldtype': str(l.dtype), 'labels': l.tolist(),
  'px': [float(a[5, 1, 10, 20]), float(a[36, 2, 63, 0]), float(a[0, 0, 0, 0])], 'finite': bool(np.isfinite(a).all())}))
`,
        out,
      ],
      { encoding: 'utf8' },
    );
    expect(py.status, py.stderr).toBe(0);
    const got = JSON.parse(py.stdout);
    expect(got.shape).toEqual([37, 3, 64, 64]);
    expect(got.dtype).toBe('float32');
    expect(got.lshape).toEqual([37]);
    expect(got.ldtype).toBe('int64');
    expect(got.finite).toBe(true);
    const opts = { count: 37, seed: 12 };
    const at = (i: number, b: number, y: number, x: number) => surveyObject(opts, i).cutout.data[b * 4096 + y * 64 + x];
    expect(got.px).toEqual([at(5, 1, 10, 20), at(36, 2, 63, 0), at(0, 0, 0, 0)]);
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8'));
    expect(meta.classes).toEqual([...CLASS_NAMES]);
    expect(meta).toMatchObject({ seed: 12, count: 37, size: 64, pixscale: 0.262, bands: ['g', 'r', 'z'], sky_sigma: { g: 0.0042, r: 0.0073, z: 0.017 } });
    expect(got.labels.map((k: number) => CLASS_NAMES[k])).toEqual(Array.from({ length: 37 }, (_, i) => surveyObject(opts, i).object.truth));
    expect(meta.columns.id[0]).toBe('SYN-000001');
    for (const col of Object.values(meta.columns) as unknown[][]) expect(col).toHaveLength(37);
  });

  it('rejects a missing --out with exit code 2', () => {
    const r = spawnSync('npx', ['tsx', 'native-models/tools/synth-dataset.ts', '--count', '3', '--seed', '1'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--out/);
  });
});
