/**
 * HDF5 files that try to hurt the import (made by h5py: tests/fixtures/ingest/make_hostile_hdf5.py):
 * a repeated id costs one row, not the file; impossible coordinates are
 * skipped as the folder importer skips them; data stored outside the file
 * (external storage, virtual datasets in another file, external links) is
 * refused before a byte of it becomes pixels.
 */
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
if (!ok) console.warn('tests/ingest/hdf5-hostile.test.ts skipped: /usr/bin/python3 with h5py and numpy is needed to write the test files');

const value = (i: number, b: number, y: number, x: number) => Math.fround(i + 0.1 * b + 0.001 * y + 0.00001 * x);
const shape = { bands: ['g', 'r', 'z'], size: 8, pixscale: 0.262, unit: 'nanomaggies' as const, dtype: 'f32' as const };

describe.skipIf(!ok)('hostile HDF5 files', () => {
  let dir: string;
  let secret: string;
  let n = 0;
  const ws = () => Workspace.create(join(dir, `ws${n++}`), { cutout: shape });
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'h5-hostile-'));
    secret = join(dir, 'secret.txt');
    writeFileSync(secret, 'root:x:0:0:root:/root:/bin/bash\n'.repeat(200));
    execFileSync(PY, [join(__dirname, '..', 'fixtures', 'ingest', 'make_hostile_hdf5.py'), dir, secret]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a duplicate id skips that row and keeps the other 19', async () => {
    const run = await ingestHdf5.prepare(join(dir, 'dup.h5'), { chunkRows: 8 });
    const w = ws();
    const r = await run.ingest(workspaceSink(w));
    expect(r.added).toBe(19);
    expect(r.skipped).toEqual([{ id: '1004', row: 13, code: 'BAD_INPUT', reason: 'duplicate id (first seen on row 4)' }]);
    expect(w.objects().map((o) => o.id)).not.toContain(undefined);
    // row 14 of the file is object 13 of the workspace; its pixels are row 14's
    expect(w.getObject(13).id).toBe('1014');
    expect(w.getCutout(13).data[1 * 64 + 2 * 8 + 3]).toBe(value(14, 1, 2, 3));
    w.close();
  });

  it('coordinates are validated as the folder importer does: out of range skipped, ra wrapped', async () => {
    const run = await ingestHdf5.prepare(join(dir, 'coords.h5'));
    const w = ws();
    const r = await run.ingest(workspaceSink(w));
    expect(Object.fromEntries(r.skipped.map((s) => [s.row, s.reason]))).toEqual({
      2: expect.stringMatching(/^coordinates out of range \(ra=1e\+30, dec=1\.105/),
      5: expect.stringMatching(/^coordinates out of range \(ra=-400, dec=1\.263/),
      9: expect.stringMatching(/^coordinates out of range \(ra=150\.47\d+, dec=95\)/),
      11: expect.stringMatching(/^missing or invalid coordinates \(ra=Infinity, dec=1\.578/),
    });
    expect(r.added).toBe(16);
    expect(w.findById('1006')).toBeDefined();
    expect(w.getObject(w.findById('1006')!).ra).toBeCloseTo(10, 9);
    expect(w.objects().every((o) => o.ra >= 0 && o.ra < 360 && Math.abs(o.dec) <= 90)).toBe(true);
    w.close();
  });

  for (const [file, what] of [
    ['external.h5', /dataset 'image_array' reads from another file \(.*secret\.txt\) through HDF5 external storage/],
    ['external2.h5', /dataset 'ra' reads from another file \(.*secret\.txt\)/],
    ['vds.h5', /dataset 'image_array' is virtual, with data in .*src\.h5; only data inside the file is imported/],
    ['elink.h5', /'image_array' is a link to another file \(.*src\.h5\)|reads from another file \(.*src\.h5\)/],
  ] as const) {
    it(`${file}: data outside the file is refused before anything is imported`, async () => {
      await expect(ingestHdf5.prepare(join(dir, file))).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(what) });
    });
  }

  it('even a prepared run re-checks every read: external storage never becomes pixels', async () => {
    // prepare on a good file, then the file is swapped for a hostile one with the same datasets before the import
    execFileSync('cp', [join(dir, 'coords.h5'), join(dir, 'swap.h5')]);
    const run = await ingestHdf5.prepare(join(dir, 'swap.h5'));
    execFileSync('cp', [join(dir, 'external.h5'), join(dir, 'swap.h5')]);
    const w = ws();
    await expect(run.ingest(workspaceSink(w))).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/dataset 'image_array' reads from another file/),
    });
    expect(w.count()).toBe(0);
    w.close();
  });

  it('a declared image row over the pixel budget is refused before it is read', async () => {
    await expect(ingestHdf5.prepare(join(dir, 'huge.h5'))).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/one image_array row \(3×20000×20000\): 1144 Mpx, over the 64 Mpx limit/),
    });
  });

  it('a virtual dataset over the same file is data inside the file, and imports', async () => {
    const run = await ingestHdf5.prepare(join(dir, 'vds_self.h5'));
    const w = ws();
    const r = await run.ingest(workspaceSink(w));
    expect(r.added).toBe(20);
    expect(w.getCutout(7).data[2 * 64 + 5 * 8 + 6]).toBe(value(7, 2, 5, 6));
    w.close();
  });
});
