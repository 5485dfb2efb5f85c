import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestHdf5 } from '@main/node/ingest/hdf5/ingest';
import { workspaceSink } from '@main/node/ingest/workspace-sink';
import { Workspace } from '@main/node/workspace';

const PY = '/usr/bin/python3';
function hasH5py(): boolean {
  try {
    execFileSync(PY, ['-c', 'import h5py, numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const ok = existsSync(PY) && hasH5py();
if (!ok) console.warn('tests/ingest/hdf5.test.ts skipped: /usr/bin/python3 with h5py and numpy is needed to write the test files');

/** the value make_hdf5.py writes at (row, band, y, x) */
const value = (i: number, b: number, y: number, x: number) => Math.fround(i + 0.1 * b + 0.001 * y + 0.00001 * x);

describe.skipIf(!ok)('HDF5 (Multimodal Universe layout) import', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'h5-'));
    execFileSync(PY, [join(__dirname, '..', 'fixtures', 'ingest', 'make_hdf5.py'), dir]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads image_array in chunks, maps DES bands onto g,r,z, keeps int64 ids and catalogue scalars', async () => {
    const run = await ingestHdf5.prepare(join(dir, 'mmu.h5'), { chunkRows: 64 });
    expect(run.shape).toEqual({ bands: ['g', 'r', 'i', 'z'], size: 20, pixscale: expect.closeTo(0.262, 6), unit: 'nanomaggies' });
    // a g,r,z workspace takes planes 0, 1 and 3
    const ws = Workspace.create(join(dir, 'ws'), { cutout: { bands: ['g', 'r', 'z'], size: 20, pixscale: 0.262, unit: 'nanomaggies', dtype: 'f32' } });
    const progress: number[] = [];
    const report = await run.ingest(workspaceSink(ws), { onProgress: (p) => progress.push(p.done) });
    expect(report.added).toBe(299);
    expect(report.skipped).toEqual([expect.objectContaining({ row: 7, code: 'BAD_INPUT', reason: expect.stringMatching(/invalid coordinates/) })]);
    expect(progress).toEqual([64, 128, 192, 256, 300]);
    const o = ws.getObject(10); // row 11 of the file (row 7 was skipped)
    expect(o.id).toBe(String(2n ** 60n + 1n + 11n));
    expect(o.extra).toMatchObject({
      Z: expect.closeTo(11 / 299, 6),
      TYPE: 'REX',
      image_psf_fwhm_g: expect.closeTo(1.1, 6),
      image_psf_fwhm_z: expect.closeTo(0.95, 6),
    });
    const c = ws.getCutout(10);
    const n = 20;
    for (const [k, plane] of [
      [0, 0],
      [1, 1],
      [2, 3],
    ]) {
      for (const [y, x] of [
        [0, 0],
        [3, 17],
        [19, 19],
      ])
        expect(c.data[k * n * n + y * n + x]).toBe(value(11, plane, y, x));
    }
    // resume: nothing new
    const again = await run.ingest(workspaceSink(ws));
    expect(again.added).toBe(0);
    expect(again.alreadyPresent).toBe(299);
    ws.close();
  });

  it('Stein et al. layout (images, no band names: g,r,z assumed) centre-cropped to a smaller workspace', async () => {
    const run = await ingestHdf5.prepare(join(dir, 'stein.h5'), { size: 16 });
    expect(run.layout.bandsAssumed).toBe(true);
    const ws = Workspace.create(join(dir, 'ws2'), { cutout: { ...run.shape, dtype: 'f32' } });
    const r = await run.ingest(workspaceSink(ws));
    expect(r.added).toBe(12);
    expect(ws.getObject(0).id).toBe('H5-10.00000-1.00000');
    expect(ws.getObject(3).extra.z).toBeCloseTo(0.1 + (0.2 * 3) / 11, 9);
    // 24 → 16: a crop starting at pixel 4
    const c = ws.getCutout(5);
    expect(c.data[1 * 256 + 0 * 16 + 0]).toBe(value(5, 1, 4, 4));
    expect(c.data[2 * 256 + 15 * 16 + 15]).toBe(value(5, 2, 19, 19));
    ws.close();
  });

  it('channels-last images', async () => {
    const run = await ingestHdf5.prepare(join(dir, 'hwc.h5'));
    expect(run.layout.channelsLast).toBe(true);
    const ws = Workspace.create(join(dir, 'ws3'), { cutout: { ...run.shape, dtype: 'f32' } });
    await run.ingest(workspaceSink(ws));
    const c = ws.getCutout(4);
    expect(c.data[2 * 256 + 7 * 16 + 9]).toBe(value(4, 2, 7, 9));
    expect(ws.getObject(4).id).toBe('4');
    ws.close();
  });

  it('rejects a file that is not HDF5', async () => {
    writeFileSync(join(dir, 'bad.h5'), 'not hdf5');
    await expect(ingestHdf5.prepare(join(dir, 'bad.h5'))).rejects.toThrow(/not a readable HDF5 file/);
  });
});
