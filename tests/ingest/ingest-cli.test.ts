/**
 * `latent-sky ingest --from legacysurvey` as a real process against the
 * loopback survey server: a 2,000-object catalogue, kill -9 in the middle,
 * resume fetching only what is missing; fatal input errors exit 2.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFits } from '@app/fits';
import { writeVOTable } from '@app/tables/votable-write';
import { Workspace } from '@main/node/workspace';
import { startSurveyServer, type SurveyServer } from '../helpers/loopback-survey-server';
import { walk } from '../helpers/walk-files';

const root = join(__dirname, '..', '..');
const bin = join(root, 'main', 'cli', 'bin.mjs');

function run(args: string[], opts: { killWhen?: () => boolean } = {}): Promise<{ code: number | null; signal: string | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, 'ingest', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '',
      err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    let timer: NodeJS.Timeout | undefined;
    if (opts.killWhen)
      timer = setInterval(() => {
        if (opts.killWhen!()) {
          clearInterval(timer);
          p.kill('SIGKILL');
        }
      }, 5);
    p.on('close', (code, signal) => {
      if (timer) clearInterval(timer);
      resolve({ code, signal, out, err });
    });
  });
}

describe('latent-sky ingest --from legacysurvey (CLI, real processes)', () => {
  let server: SurveyServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ls-cli-'));
    server = await startSurveyServer({ latencyMs: 1 });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('survives kill -9 and resumes fetching only what is missing', async () => {
    const n = 2000;
    const ra = Float64Array.from({ length: n }, (_, i) => 180 + (i % 50) * 0.01);
    const dec = Float64Array.from({ length: n }, (_, i) => 10 + Math.floor(i / 50) * 0.01);
    const ids = Array.from({ length: n }, (_, i) => `obj${String(i).padStart(4, '0')}`);
    // the catalogue is a FITS binary table, as astronomers often have
    const cat = join(dir, 'cat.fits');
    writeFileSync(
      cat,
      writeFits([
        {
          kind: 'bintable',
          name: 'CAT',
          columns: [
            { name: 'OBJID', format: 'A', data: ids },
            { name: 'RA', format: 'D', data: ra, unit: 'deg' },
            { name: 'DEC', format: 'D', data: dec, unit: 'deg' },
            { name: 'Z_PHOT', format: 'E', data: Float32Array.from({ length: n }, (_, i) => i / n) },
          ],
        },
      ]),
    );
    const ws = join(dir, 'ws');
    const args = [
      ws,
      '--from',
      'legacysurvey',
      '--catalog',
      cat,
      '--base-url',
      server.base,
      '--size',
      '16',
      '--concurrency',
      '8',
      '--rate',
      '100000',
      '--json',
    ];
    const killed = await run(args, { killWhen: () => server.total() >= 600 });
    expect(killed.signal).toBe('SIGKILL');
    const afterKill = server.total();
    expect(afterKill).toBeLessThan(n);
    const cacheDir = join(ws, 'cache', 'legacysurvey');
    const cached = walk(cacheDir).filter((f) => f.endsWith('.fits')).length;
    expect(cached).toBeGreaterThan(0);

    const resumed = await run(args);
    expect(resumed.code, resumed.err).toBe(0);
    const report = JSON.parse(resumed.out);
    // the resumed run asked the server only for what had no finished file
    expect(server.total() - afterKill).toBe(n - cached);
    expect(report.objects).toBe(n);
    expect(report.skipped).toEqual([]);
    expect(report.downloaded).toBe(n - cached);
    expect(report.added + report.alreadyPresent).toBe(n);
    // every position was fetched; the ones in flight at the kill may have been fetched twice, nothing more
    expect(server.counts.size).toBe(n);
    expect(Math.max(...server.counts.values())).toBeLessThanOrEqual(2);
    expect(walk(cacheDir).filter((f) => f.includes('.partial-'))).toEqual([]);
    const w = Workspace.open(ws, { readonly: true });
    expect(w.objects().map((o) => o.id)).toEqual(ids);
    expect(w.getObject(1999)).toMatchObject({ id: 'obj1999', ra: ra[1999], dec: dec[1999], source: 'legacysurvey:ls-dr10' });
    expect(w.getObject(1000).extra.Z_PHOT).toBeCloseTo(0.5, 6);
    w.close();
  });

  it('exits 2 on a catalogue without coordinates, naming the columns it has', async () => {
    const cat = join(dir, 'nocoords.vot');
    writeFileSync(
      cat,
      writeVOTable([
        { name: 'name', values: ['a', 'b'] },
        { name: 'x', values: Float64Array.from([1, 2]) },
      ]),
    );
    const r = await run([join(dir, 'ws2'), '--from', 'legacysurvey', '--catalog', cat, '--base-url', server.base]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no ra and dec column .*columns: name, x/);
  });

  it('reports bad rows and failed downloads but exits 0', async () => {
    server.setBehaviour((r) => (r.ra === 1 ? { kind: 'html' } : undefined));
    const cat = join(dir, 'mixed.csv');
    writeFileSync(cat, 'id,ra,dec\na,1,1\nb,2,2\nc,,3\nd,4,95\n');
    const r = await run([join(dir, 'ws4'), '--from', 'legacysurvey', '--catalog', cat, '--base-url', server.base, '--size', '16', '--retries', '0']);
    server.setBehaviour(undefined);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/1 added/);
    expect(r.out).toMatch(/3 skipped/);
    expect(r.out).toMatch(/a: .*HTML page instead of FITS/);
    expect(r.out).toMatch(/c: missing or non-numeric coordinates/);
    expect(r.out).toMatch(/d: coordinates out of range/);
  });
});
