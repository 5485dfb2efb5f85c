/**
 * The downloader against a hostile peer (tests/helpers/hostile-http-server.ts):
 * every answer ends as a clean, bounded AppError for that object — a byte cap
 * on the wire and after decoding, no other origin, Retry-After cut to the cap
 * and counted, corrupt FITS recorded once — and the batch goes on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responseCap } from '@app/core/limits';
import { readCsv } from '@app/tables/csv';
import { fetchBytes, type FetchPolicy } from '@main/node/ingest/net/http';
import { ingestLegacySurvey } from '@main/node/ingest/legacysurvey/ingest';
import { workspaceSink } from '@main/node/ingest/workspace-sink';
import { Workspace } from '@main/node/workspace';
import { gzipBombMember, httpHead, okAnswer, startHostileServer, type HostileServer, type RawAnswer, type RawRequest } from '../helpers/hostile-http-server';
import { cutoutFits } from '../helpers/loopback-survey-server';

const fits = (r: RawRequest) =>
  cutoutFits(Number(r.query.get('ra') ?? 1), Number(r.query.get('dec') ?? 1), Number(r.query.get('size') ?? 8), r.query.get('bands') ?? 'grz', 0.262);
const chunk = new Uint8Array(64 * 1024).fill(0x41);

/** the answer per behaviour name: the object id in the catalogue, or the last path segment */
function answer(name: string, r: RawRequest, other: HostileServer): RawAnswer {
  switch (name) {
    case 'endless':
      return { head: httpHead(200, { 'content-type': 'application/fits' }), endless: chunk };
    case 'endless-chunked':
      return { head: httpHead(200, { 'transfer-encoding': 'chunked' }), endless: Buffer.from(`10000\r\n${'B'.repeat(0x10000)}\r\n`) };
    case 'bomb':
      return { head: httpHead(200, { 'content-encoding': 'gzip', connection: 'close' }), chunks: Array.from({ length: 64 }, gzipBombMember) };
    case 'gzip-ok':
      return okAnswer(gzipSync(fits(r)), { 'content-encoding': 'gzip' });
    case 'zstd':
      return okAnswer(fits(r), { 'content-encoding': 'zstd' });
    case 'declared-huge':
      return { head: httpHead(200, { 'content-length': 10 ** 12 }), then: 'hang' };
    case 'bad-length':
      return { head: httpHead(200, { 'content-length': 'abc' }) + 'xyz' };
    case 'away':
      return { head: httpHead(302, { location: `${other.origin}/viewer/cutout.fits?${r.query}`, 'content-length': 0 }) };
    case 'away-port':
      return { head: httpHead(302, { location: `http://localhost:${other.port}/x`, 'content-length': 0 }) };
    case 'same':
      return r.query.has('moved') ? okAnswer(fits(r)) : { head: httpHead(301, { location: `${r.path}?${r.query}&moved=1`, 'content-length': 0 }) };
    case 'loop':
      return { head: httpHead(302, { location: `${r.path}?${r.query}&n=${r.previous}`, 'content-length': 0 }) };
    case 'retry-after':
      return r.previous < 2 ? { head: httpHead(503, { 'retry-after': '100000', 'content-length': 0 }) } : okAnswer(fits(r));
    case 'retry-after-0':
      return r.previous < 2 ? { head: httpHead(503, { 'retry-after': '0', 'content-length': 0 }) } : okAnswer(fits(r));
    case 'retry-after-1':
      return r.previous < 3 ? { head: httpHead(429, { 'retry-after': '1', 'content-length': 0 }) } : okAnswer(fits(r));
    case 'retry-forever':
      return { head: httpHead(429, { 'retry-after': '1', 'content-length': 0 }) };
    case 'corrupt': {
      const b = fits(r);
      b.fill(0x20, 2880, b.length);
      return okAnswer(b.subarray(0, 2880 + 100));
    }
    case 'garbage-fits': {
      const b = fits(r);
      for (let i = 80; i < 2800; i += 7) b[i] = 0x3d;
      return okAnswer(b);
    }
    case 'malformed-status':
      return { head: 'HTTP/1.1 2OO OK\r\ncontent-length: 3\r\n\r\nabc' };
    case 'bad-header':
      return { head: 'HTTP/1.1 200 OK\r\nx y: z\r\ncontent-length: 3\r\n\r\nabc' };
    case 'drip':
      return { head: httpHead(200, { 'content-length': 100000 }), chunks: Array.from({ length: 60 }, () => new Uint8Array(1)), gapMs: 50 };
    case 'error-endless':
      return { head: httpHead(500, {}), endless: chunk };
    default:
      return okAnswer(fits(r));
  }
}

describe('downloads from a hostile server', () => {
  let server: HostileServer, other: HostileServer, dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hostile-http-'));
    gzipBombMember(); // made once here, not while a request waits on it
    other = await startHostileServer((r) => okAnswer(fits(r)));
    server = await startHostileServer((r) => answer(r.query.get('b') ?? r.path.split('/').pop()!, r, other));
  });
  afterAll(async () => {
    await server.close();
    await other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const policy: FetchPolicy = { timeoutMs: 400, retries: 2, backoffMs: 1, maxDelayMs: 20, maxRetryAfterMs: 20, maxBytes: 1 << 20, random: () => 0.5 };
  const get = (b: string, p: FetchPolicy = {}) => fetchBytes(`${server.origin}/t/${b}`, (body) => body, { ...policy, ...p });

  it('caps every body, on the wire and decoded, and refuses unasked encodings', async () => {
    // a generous timeout: these must end at the cap, not at the clock, and never be retried
    const get = (b: string) => fetchBytes(`${server.origin}/t/${b}`, (body) => body, { ...policy, timeoutMs: 10_000 });
    const rss0 = process.memoryUsage().rss;
    await expect(get('endless')).rejects.toMatchObject({ code: 'HTTP', message: expect.stringMatching(/over the 1 MB limit/) });
    await expect(get('endless-chunked')).rejects.toMatchObject({ code: 'HTTP', message: expect.stringMatching(/over the 1 MB limit/) });
    // 64 members × 16 MiB of zeros = 1 GiB decoded from about 1 MB on the wire
    await expect(get('bomb')).rejects.toMatchObject({ code: 'HTTP', message: expect.stringMatching(/decodes \(gzip\) to over the 1 MB limit/) });
    await expect(get('declared-huge')).rejects.toMatchObject({ code: 'HTTP', message: expect.stringMatching(/declares 1000\.0 GB, over the 1 MB limit/) });
    await expect(get('zstd')).rejects.toMatchObject({ code: 'HTTP', message: expect.stringMatching(/unsupported Content-Encoding 'zstd'/) });
    expect(process.memoryUsage().rss - rss0).toBeLessThan(200 * 2 ** 20);
    // each refused once: a body over the cap will not shrink on the next try
    for (const b of ['endless', 'bomb', 'declared-huge', 'zstd']) expect(server.counts.get(`/t/${b}`), b).toBe(1);
    // a gzip answer within the cap is decoded
    const body = await fetchBytes(`${server.origin}/t/gzip-ok?ra=5&dec=6&size=8`, (b) => b, policy);
    expect(Buffer.from(body).subarray(0, 6).toString()).toBe('SIMPLE');
  });

  it('follows redirects only within the origin', async () => {
    await expect(get('away')).rejects.toMatchObject({
      code: 'HTTP',
      message: expect.stringMatching(/redirected to another origin \(http:\/\/127\.0\.0\.1:\d+\), refused/),
    });
    await expect(get('away-port')).rejects.toMatchObject({ code: 'HTTP', message: expect.stringMatching(/another origin \(http:\/\/localhost:\d+\)/) });
    expect(other.total()).toBe(0);
    const ok = await fetchBytes(`${server.origin}/t/same?ra=1&dec=2&size=8`, (b) => b, policy);
    expect(ok.length % 2880).toBe(0);
    await expect(get('loop')).rejects.toMatchObject({ code: 'HTTP', message: expect.stringMatching(/more than 5 redirects/) });
  });

  it('counts Retry-After against the object: a wait longer than it may still wait gives it up at once, without pausing others', async () => {
    const t0 = Date.now();
    await expect(get('retry-after', { maxRetryAfterMs: 30_000, maxDelayMs: 60_000 })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/HTTP 503 X, the server asks to wait 100000 s before another try, more than the 30 s this object may still wait/),
    });
    expect(server.counts.get('/t/retry-after')).toBe(1);
    expect(Date.now() - t0).toBeLessThan(1000);
    // waits within the budget are honoured, each one an attempt
    const retries: number[] = [];
    expect((await get('retry-after-0', { onRetry: (r) => retries.push(r.delayMs) })).length).toBeGreaterThan(0);
    expect(retries).toEqual([0, 0]);
    // 1 s + 1 s of waits fit a 2.5 s budget, the third 1 s does not: given up after 3 requests, not retried 5 times
    await expect(get('retry-after-1', { retries: 5, maxRetryAfterMs: 2500, maxDelayMs: 5000 })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/wait 1\.0 s .* more than the 0\.5 s this object may still wait/),
    });
    expect(server.counts.get('/t/retry-after-1')).toBe(3);
    await expect(get('retry-forever', { retries: 100, maxRetryAfterMs: 10_000, maxDelayMs: 1000, deadlineMs: 1500 })).rejects.toMatchObject({
      code: 'NETWORK',
      message: expect.stringMatching(/out of time for this object/),
    });
    expect(server.counts.get('/t/retry-forever')).toBeLessThanOrEqual(2);
  });

  it('malformed responses, slow drips and endless error pages end in bounded time', async () => {
    const t0 = Date.now();
    await expect(get('malformed-status')).rejects.toMatchObject({ code: 'NETWORK', message: expect.stringMatching(/malformed response \(HPE_/) });
    await expect(get('bad-header')).rejects.toMatchObject({ code: 'NETWORK', message: expect.stringMatching(/malformed response/) });
    await expect(get('bad-length')).rejects.toMatchObject({ code: 'NETWORK' });
    await expect(get('drip')).rejects.toMatchObject({ code: 'NETWORK', message: expect.stringMatching(/gave up after 3 attempts \(timed out\)/) });
    await expect(get('error-endless')).rejects.toMatchObject({ code: 'NETWORK', message: expect.stringMatching(/HTTP 500/) });
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('an ingest records each hostile object as skipped with its reason and keeps the rest', async () => {
    const kinds = ['good', 'endless', 'bomb', 'zstd', 'away', 'corrupt', 'garbage-fits', 'retry-after', 'drip', 'bad-header', 'same', 'good'];
    const csv = 'objid,ra,dec,b\n' + kinds.map((k, i) => `${k}${i},${20 + i * 0.01},${3 + i * 0.01},${k}`).join('\n');
    const ws = Workspace.create(join(dir, 'ws'), { cutout: { bands: ['g', 'r', 'z'], size: 24, pixscale: 0.262, unit: 'nanomaggies' } });
    // the server knows each object's behaviour by its RA
    const byCoord = new Map(kinds.map((k, i) => [`${Number((20 + i * 0.01).toFixed(7))}`, k]));
    const srv = await startHostileServer((r) => answer(byCoord.get(String(Number(r.query.get('ra')))) ?? 'good', r, other));
    const report = await ingestLegacySurvey(workspaceSink(ws), readCsv(csv), {
      baseUrl: `${srv.origin}/viewer`,
      layer: 'ls-dr10',
      pixscale: 0.262,
      size: 24,
      bands: 'grz',
      cacheDir: ws.dirPath('cache', 'ls'),
      concurrency: 4,
      ratePerSecond: 1000,
      timeoutMs: 1500,
      retries: 2,
      backoffMs: 1,
      maxDelayMs: 20,
      maxRetryAfterMs: 20,
      random: () => 0.5,
    });
    const skipped = Object.fromEntries(report.skipped.map((s) => [s.id, `${s.code}: ${s.reason}`]));
    expect(ws.objects().map((o) => o.id)).toEqual(['good0', 'same10', 'good11']);
    expect(skipped.endless1).toMatch(new RegExp(`^HTTP: .*over the ${Math.round(responseCap(3 * 24 * 24 * 8) / 1e6)} MB limit`));
    expect(skipped.bomb2).toMatch(/^HTTP: .*decodes \(gzip\)/);
    expect(skipped.zstd3).toMatch(/^HTTP: .*unsupported Content-Encoding/);
    expect(skipped.away4).toMatch(/^HTTP: .*another origin/);
    expect(skipped.corrupt5).toMatch(/^FITS_(CORRUPT|TRUNCATED): corrupt5/);
    expect(skipped['garbage-fits6']).toMatch(/^FITS_/);
    expect(skipped['retry-after7']).toMatch(/^UNAVAILABLE: .*the server asks to wait 100000 s/);
    expect(skipped.drip8).toMatch(/^NETWORK: .*timed out/);
    expect(skipped['bad-header9']).toMatch(/^NETWORK: .*malformed/);
    // a corrupt FITS in a complete body is a bad object: asked for once, not retried as a network fault
    const asked = (i: number) =>
      [...srv.counts.entries()].filter(([k]) => k.includes(`ra=${Number((20 + i * 0.01).toFixed(7))}&`)).reduce((s, [, n]) => s + n, 0);
    expect(asked(5)).toBe(1);
    expect(asked(6)).toBe(1);
    expect(other.total()).toBe(0);
    ws.close();
    await srv.close();
  });
});
