/**
 * Export from the app: probe.exportCandidates through the contract's
 * dispatcher (validation and path guard included) on the demo workspace with
 * its simulated searches writes the same candidate table as `latent-sky
 * export --search` (one ranking, model and round columns) in CSV, FITS and
 * VOTable; the VOTable passes `stilts votlint`, the FITS `fitsverify`; a folder
 * outside the path guard is refused. The validator checks are skipped with the
 * reason where stilts or fitsverify is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher, type ExportResult } from '@app/contracts';
import { readVOTable } from '@app/tables';
import { Engine } from '@main/node/services/engine';
import { demoWorkspaceCopy } from '../e2e/demo-fixture';
import { root } from '../e2e/harness';

const which = (c: string) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0;
const noValidators = !which('stilts')
  ? 'stilts not installed (apt-get install stilts)'
  : !which('fitsverify')
    ? 'fitsverify not installed (apt-get install fitsverify)'
    : null;
if (noValidators) console.log(`skipping the VO validator checks of app exports: ${noValidators}`);

describe('probe.exportCandidates (the app export) through the contract', () => {
  let fx: ReturnType<typeof demoWorkspaceCopy>;
  let engine: Engine;
  let call: <T>(channel: string, input: unknown) => Promise<T>;
  const written: Record<string, ExportResult> = {};

  beforeAll(async () => {
    fx = demoWorkspaceCopy();
    engine = new Engine({ stateDir: join(fx.home, 'state'), modelsDir: join(fx.home, 'models') });
    engine.open(fx.ws);
    const dispatch = createDispatcher(engine, engine.validationContext);
    call = async <T>(channel: string, input: unknown) => {
      const r = await dispatch(channel, input);
      if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
      return r.value as T;
    };
  }, 180_000);
  afterAll(async () => {
    await engine?.close();
    fx?.cleanup();
  });

  it('writes CSV, FITS and VOTable into the workspace exports/ or an allowed folder, with model and round', async () => {
    const folder = join(fx.ws, 'my-exports');
    mkdirSync(folder);
    const latest = (await call<{ round: number }>('probe.result', { search: 'demo-ring' })).round;
    for (const format of ['csv', 'fits', 'votable'] as const) {
      const r = await call<ExportResult>('probe.exportCandidates', { search: 'demo-ring', format, top: 50, ...(format === 'fits' ? { folder } : {}) });
      expect(existsSync(r.path)).toBe(true);
      expect(r.path.startsWith(format === 'fits' ? folder : join(fx.ws, 'exports'))).toBe(true);
      expect(r.format).toBe(format);
      expect(r.round).toBe(latest);
      expect(r.model).toMatch(/^ls-vit-tiny/);
      written[format] = r;
    }
    const t = readVOTable(readFileSync(written.votable.path, 'utf8'));
    expect(t.columns.map((c) => c.name)).toEqual(['ra', 'dec', 'id', 'score', 'label', 'search', 'model', 'round', 'rank', 'idx']);
    expect(t.nrows).toBe(written.votable.rows);
    expect(new Set(Array.from(t.columns[7].values as Int32Array))).toEqual(new Set([latest]));
  }, 60_000);

  it('is the table `latent-sky export` writes: same rows, same order (one ranking)', () => {
    const out = join(fx.home, 'cli.csv');
    const r = spawnSync(
      process.execPath,
      [join(root, 'main', 'cli', 'bin.mjs'), 'export', fx.ws, '--search', 'demo-ring', '--format', 'csv', '--out', out, '--top', '50'],
      { cwd: root, encoding: 'utf8', env: { ...process.env, LATENT_SKY_HOME: fx.home } },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(written.csv.path, 'utf8')).toBe(readFileSync(out, 'utf8'));
  }, 60_000);

  it('refuses a folder outside the path guard, writing nothing', async () => {
    await expect(call('probe.exportCandidates', { search: 'demo-ring', format: 'csv', top: 5, folder: '/etc' })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/outside the folders this session may use/),
    });
    await expect(call('probe.exportCandidates', { search: 'demo-ring', format: 'xlsx', top: 5 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it.skipIf(noValidators !== null)(
    'stilts votlint reports nothing on the VOTable; fitsverify says OK on the FITS table',
    () => {
      const v = spawnSync('stilts', ['votlint', written.votable.path], { encoding: 'utf8' });
      expect(v.status, v.stderr).toBe(0);
      expect((v.stdout + v.stderr).trim()).toBe('');
      const f = spawnSync('fitsverify', ['-q', written.fits.path], { encoding: 'utf8' });
      expect(f.stdout, f.stderr).toMatch(/verification OK/);
    },
    60_000,
  );
});
