/** The ingest command in-process (fast paths of the CLI: folder, hdf5, fatal input errors). */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '@main/cli/command';
import ingest from '@main/cli/commands/ingest';
import { Workspace } from '@main/node/workspace';

function io(): CliIO & { lines: string[]; errs: string[] } {
  const lines: string[] = [],
    errs: string[] = [];
  return { lines, errs, out: (l) => lines.push(l), err: (l) => errs.push(l), isTTY: false, signal: new AbortController().signal };
}

describe('latent-sky ingest (in-process)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ingest-cmd-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fatal input errors are AppErrors (exit 2): unreadable catalogue, unknown source, missing DIR, wrong id column', async () => {
    await expect(ingest.run([join(dir, 'w'), '--from', 'legacysurvey', '--catalog', join(dir, 'nope.csv')], io())).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/nope\.csv: cannot read the catalogue \(ENOENT\)/),
    });
    await expect(ingest.run([join(dir, 'w'), '--from', 'nowhere'], io())).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/--from must be legacysurvey, folder, hdf5 or embeddings, got 'nowhere'/),
    });
    await expect(ingest.run([join(dir, 'w'), '--from', 'folder'], io())).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/missing DIR/),
    });
    writeFileSync(join(dir, 'c.csv'), 'ra,dec\n1,2\n');
    await expect(ingest.run([join(dir, 'w'), '--from', 'legacysurvey', '--catalog', join(dir, 'c.csv'), '--id-col', 'objid'], io())).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/no column 'objid' for id \(columns: ra, dec\)/),
    });
    writeFileSync(join(dir, 'empty.csv'), '');
    await expect(ingest.run([join(dir, 'w'), '--from', 'legacysurvey', '--catalog', join(dir, 'empty.csv')], io())).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/empty/),
    });
  });

  it('--from folder with --catalog and --json: creates the workspace, lists skips, exit 0', async () => {
    const img = join(dir, 'imgs');
    mkdirSync(img);
    for (let i = 0; i < 4; i++)
      writeFileSync(join(img, `g${i}.png`), PNG.sync.write(Object.assign(new PNG({ width: 20, height: 20 }), { data: Buffer.alloc(1600, 40 * i) })));
    writeFileSync(join(img, 'bad.png'), 'not a png');
    const cat = join(img, 'cat.csv'); // the catalogue inside the folder is not an image to import
    writeFileSync(cat, 'id,ra,dec,file\nA,1,1,g0.png\nB,2,2,g1.png\nC,3,3,g2.png\nD,4,4,g3.png\nE,5,5,bad.png\n');
    const o = io();
    const code = await ingest.run([join(dir, 'wf'), '--from', 'folder', img, '--catalog', cat, '--size', '16', '--json'], o);
    expect(code).toBe(0);
    const r = JSON.parse(o.lines.join('\n'));
    expect(r).toMatchObject({ objects: 4, added: 4, source: 'folder' });
    expect(r.skipped).toEqual([expect.objectContaining({ id: 'E', code: 'IMAGE_CORRUPT' })]);
    const ws = Workspace.open(join(dir, 'wf'), { readonly: true });
    expect(ws.manifest.cutout).toMatchObject({ bands: ['g', 'r', 'z'], size: 16, unit: 'u8' });
    expect(ws.getCutout(3).data[0]).toBe(120);
    ws.close();
  });

  it.skipIf(
    !(() => {
      try {
        execFileSync('/usr/bin/python3', ['-c', 'import h5py']);
        return true;
      } catch {
        return false;
      }
    })(),
  )('--from hdf5 with --limit', async () => {
    execFileSync('/usr/bin/python3', [join(__dirname, '..', 'fixtures', 'ingest', 'make_hdf5.py'), dir]);
    const o = io();
    expect(await ingest.run([join(dir, 'wh'), '--from', 'hdf5', join(dir, 'mmu.h5'), '--limit', '50'], o)).toBe(0);
    expect(o.lines[0]).toMatch(/hdf5:mmu\.h5: 49 added, 1 skipped of 50/);
    expect(o.lines[1]).toMatch(/skipped 1: 1152921504606846984: missing or invalid coordinates/);
    const ws = Workspace.open(join(dir, 'wh'), { readonly: true });
    expect(ws.manifest.cutout).toMatchObject({ bands: ['g', 'r', 'i', 'z'], size: 20 });
    ws.close();
  });
});
