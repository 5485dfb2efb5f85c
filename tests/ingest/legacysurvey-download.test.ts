import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@app/core/rng';
import { readCsv } from '@app/tables/csv';
import { ingestLegacySurvey } from '@main/node/ingest/legacysurvey/ingest';
import { fetchQuickLook } from '@main/node/ingest/legacysurvey/quicklook';
import { coordText } from '@main/node/ingest/legacysurvey/urls';
import { workspaceSink } from '@main/node/ingest/workspace-sink';
import { Workspace } from '@main/node/workspace';
import { startSurveyServer, type Behaviour, type SurveyServer } from '../helpers/loopback-survey-server';
import { walk } from '../helpers/walk-files';

// one object per misbehaviour; `times` = how many requests misbehave before the server recovers
const cases: { id: string; b: Behaviour; times: number; expect: 'ok' | string }[] = [
  { id: 'good1', b: { kind: 'ok' }, times: 0, expect: 'ok' },
  { id: 'html', b: { kind: 'html' }, times: Infinity, expect: 'FITS_CORRUPT' },
  { id: 'trunc', b: { kind: 'truncate' }, times: Infinity, expect: 'NETWORK' },
  { id: 'empty', b: { kind: 'empty' }, times: Infinity, expect: 'NETWORK' },
  { id: 'shape', b: { kind: 'wrong-shape' }, times: Infinity, expect: 'FITS_CORRUPT' },
  { id: 'zeros', b: { kind: 'zeros' }, times: Infinity, expect: 'NOT_FOUND' },
  { id: 'gone', b: { kind: 'status', status: 404 }, times: Infinity, expect: 'HTTP' },
  { id: 'e500', b: { kind: 'status', status: 500 }, times: 1, expect: 'ok' },
  { id: 'e429', b: { kind: 'status', status: 429, retryAfter: '0' }, times: 2, expect: 'ok' },
  { id: 'reset', b: { kind: 'reset' }, times: 1, expect: 'ok' },
  { id: 'slow', b: { kind: 'slow', ms: 4000 }, times: 1, expect: 'ok' },
  { id: 'trunc1', b: { kind: 'truncate' }, times: 1, expect: 'ok' },
  { id: 'good2', b: { kind: 'ok' }, times: 0, expect: 'ok' },
];

describe('Legacy Survey download against a misbehaving loopback server', () => {
  let server: SurveyServer;
  let dir: string;
  const ra = cases.map((_, i) => 150 + i * 0.01);
  const dec = cases.map((_, i) => 2 + i * 0.01);
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ls-dl-'));
    const byKey = new Map(cases.map((c, i) => [`${coordText(ra[i])},${coordText(dec[i])}`, c]));
    server = await startSurveyServer({
      behave: (r) => {
        const c = byKey.get(r.key);
        return c && r.previous < c.times ? c.b : undefined;
      },
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds the good ones, retries transient faults, reports every bad one, leaves no partial files', async () => {
    const csv = 'objid,ra,dec,mag_r\n' + cases.map((c, i) => `${c.id},${ra[i]},${dec[i]},${18 + i / 10}`).join('\n') + '\nnancoord,nan,3,1\nnoncoord,abc,3,1\n';
    const table = readCsv(csv);
    const ws = Workspace.create(join(dir, 'ws'), { cutout: { bands: ['g', 'r', 'z'], size: 24, pixscale: 0.262, unit: 'nanomaggies' } });
    const retries: string[] = [];
    const progress: number[] = [];
    const rng = createRng(7);
    const report = await ingestLegacySurvey(workspaceSink(ws), table, {
      baseUrl: server.base,
      layer: 'ls-dr10',
      pixscale: 0.262,
      size: 24,
      bands: 'grz',
      cacheDir: ws.dirPath('cache', 'legacysurvey'),
      concurrency: 4,
      ratePerSecond: 1000,
      timeoutMs: 1500,
      retries: 3,
      backoffMs: 5,
      maxDelayMs: 50,
      random: () => rng.next(),
      onRetry: (r) => retries.push(r.reason),
      onProgress: (p) => progress.push(p.done),
    });
    const want = cases.filter((c) => c.expect === 'ok').map((c) => c.id);
    expect(report.added).toBe(want.length);
    // catalogue order is kept although downloads finish out of order
    expect(ws.objects().map((o) => o.id)).toEqual(want);
    expect(ws.objects()[0]).toMatchObject({ source: 'legacysurvey:ls-dr10', extra: { mag_r: 18 } });
    const skipped = Object.fromEntries(report.skipped.map((s) => [s.id, s.code]));
    for (const c of cases.filter((c) => c.expect !== 'ok')) expect(skipped[c.id], c.id).toBe(c.expect);
    expect(skipped['row 14'] ?? skipped.nancoord).toBe('BAD_INPUT');
    expect(report.skipped.find((s) => s.id === 'html')!.reason).toMatch(/HTML page instead of FITS \("Legacy Survey: no such layer"\)/);
    expect(report.skipped.find((s) => s.id === 'zeros')!.reason).toMatch(/no data/);
    expect(report.skipped).toHaveLength(cases.length - want.length + 2);
    // transient faults were retried exactly as often as they happened
    const count = (id: string) => {
      const i = cases.findIndex((c) => c.id === id);
      return server.counts.get(`${coordText(ra[i])},${coordText(dec[i])}`);
    };
    expect(count('good1')).toBe(1);
    expect(count('e500')).toBe(2);
    expect(count('e429')).toBe(3);
    expect(count('reset')).toBe(2);
    expect(count('slow')).toBe(2);
    expect(count('html')).toBe(1); // permanent: not retried
    expect(count('trunc')).toBe(4); // 1 + 3 retries
    expect(retries.some((r) => /HTTP 429/.test(r))).toBe(true);
    expect(retries.some((r) => /timed out/.test(r))).toBe(true);
    expect(progress.at(-1)).toBe(cases.length);
    // the cache holds exactly the accepted cutouts, complete
    const files = walk(ws.path('cache', 'legacysurvey'));
    expect(files.filter((f) => f.endsWith('.fits'))).toHaveLength(want.length);
    expect(files.filter((f) => f.includes('.partial-'))).toEqual([]);
    // the pixels are the server's: the centre of good1 in band r
    const c = ws.getCutout(0);
    expect(c.bands).toEqual(['g', 'r', 'z']);
    expect(c.data.some((v) => v > 0.4)).toBe(true);

    // a second run fetches nothing: everything is in the workspace or known bad
    const before = server.total();
    const again = await ingestLegacySurvey(workspaceSink(ws), table, {
      baseUrl: server.base,
      layer: 'ls-dr10',
      pixscale: 0.262,
      size: 24,
      bands: 'grz',
      cacheDir: ws.dirPath('cache', 'legacysurvey'),
      concurrency: 4,
      ratePerSecond: 1000,
      timeoutMs: 500,
      retries: 0,
      backoffMs: 5,
    });
    expect(again.added).toBe(0);
    expect(again.alreadyPresent).toBe(want.length);
    // only the failures are asked for again
    expect(server.total() - before).toBe(cases.length - want.length);
    ws.close();
  });

  it('quick-look JPEGs are fetched once, cached and checked', async () => {
    const cache = join(dir, 'jpg');
    const p = { layer: 'ls-dr10', pixscale: 0.262, size: 48 };
    const a = await fetchQuickLook(server.base, 33.3, -4.4, p, cache);
    expect([a[0], a[1]]).toEqual([0xff, 0xd8]);
    const b = await fetchQuickLook(server.base, 33.3, -4.4, p, cache);
    expect(new Uint8Array(b)).toEqual(new Uint8Array(a));
    expect(server.counts.get('33.3,-4.4')).toBe(1);
    server.setBehaviour((r) => (r.ra === 44 ? { kind: 'html' } : undefined));
    await expect(fetchQuickLook(server.base, 44, 1, p, cache)).rejects.toMatchObject({
      code: 'FITS_CORRUPT',
      message: expect.stringMatching(/not a JPEG \(the server sent an HTML page\)/),
    });
    server.setBehaviour(undefined);
  });

  it('cancels promptly through the AbortSignal and keeps what it committed', async () => {
    server.setBehaviour(() => ({ kind: 'slow', ms: 200 }));
    const n = 40;
    const csv = 'ra,dec\n' + Array.from({ length: n }, (_, i) => `${10 + i * 0.001},${-5 - i * 0.001}`).join('\n');
    const ws = Workspace.create(join(dir, 'ws-cancel'), { cutout: { bands: ['g', 'r', 'z'], size: 16, pixscale: 0.262, unit: 'nanomaggies' } });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 500);
    const r = await ingestLegacySurvey(workspaceSink(ws), readCsv(csv), {
      baseUrl: server.base,
      layer: 'ls-dr10',
      pixscale: 0.262,
      size: 16,
      bands: 'grz',
      cacheDir: ws.dirPath('cache', 'ls'),
      concurrency: 2,
      ratePerSecond: 1000,
      signal: ac.signal,
    });
    expect(r.cancelled).toBe(true);
    expect(r.added).toBeLessThan(n);
    expect(ws.count()).toBe(r.added);
    expect(ws.objects().map((o) => o.id)).toEqual(Array.from({ length: r.added }, (_, i) => `LS-${(10 + i * 0.001).toFixed(5)}${(-5 - i * 0.001).toFixed(5)}`));
    ws.close();
    server.setBehaviour(undefined);
  });
});
