/**
 * The engine behind the contract, reached the way the renderer reaches it:
 * createApiClient over the dev host's real WebSocket, on a real workspace
 * (the synthetic survey, pixel-pca embeddings). Results are checked against
 * the workspace itself and a brute-force computation here.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type EngineEvent, type JobInfo } from '@app/contracts';
import { AppError } from '@app/core/errors';
import { startDevHost, type DevHost } from '@main/devhost/server';
import { writeDemoSurvey } from '@main/node/discovery/demo-workspace';
import { Engine } from '@main/node/services/engine';
import { Workspace } from '@main/node/workspace/workspace';
import { connectNodeBridge } from './ws-client';

const N = 160;
let dir: string;
let engine: Engine;
let host: DevHost;
let api: ReturnType<typeof createApiClient>;
let bridge: Awaited<ReturnType<typeof connectNodeBridge>>;
const events: EngineEvent[] = [];

async function start(): Promise<void> {
  engine = new Engine({ stateDir: join(dir, 'state'), modelsDir: join(dir, 'models'), roots: [dir] });
  host = await startDevHost({ engine, context: engine.validationContext, rendererDir: join(dir, 'www'), port: 0 });
  bridge = await connectNodeBridge(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`);
  api = createApiClient(bridge);
  api.onEvent((e) => events.push(e));
}

async function stop(): Promise<void> {
  bridge.close();
  await host.close();
  await engine.close();
}

/** GET with the path sent as written (fetch would normalise '..' away) */
function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
    })
      .on('error', fail)
      .end();
  });
}

async function waitJob(job: JobInfo): Promise<JobInfo> {
  return engine.waitForJob(job.id);
}

describe('engine over the dev host WebSocket', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ls-engine-'));
    writeFileSync(join(dir, 'secret.txt'), 'OUTSIDE THE RENDERER FOLDER');
    const www = join(dir, 'www');
    rmSync(www, { recursive: true, force: true });
    await import('node:fs').then((fs) => fs.mkdirSync(www));
    writeFileSync(join(www, 'index.html'), '<!doctype html><title>t</title>');
    await writeDemoSurvey({ path: join(dir, 'ws'), count: N, seed: 3 }, () => undefined, new AbortController().signal);
    await start();
  }, 120_000);

  afterAll(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens a workspace, embeds it (pixel-pca) and reports it', async () => {
    await expect(api.workspace.info({})).resolves.toBeNull();
    await expect(api.cutouts.get({ idx: 0 })).rejects.toMatchObject({ code: 'WORKSPACE_INVALID' });
    const info = await api.workspace.open({ path: join(dir, 'ws') });
    expect(info).toMatchObject({ count: N, bands: ['g', 'r', 'z'], activeModel: null, projections: [] });
    expect(info.truthClasses.length).toBeGreaterThan(2);
    const job = await api.embeddings.startEmbed({ model: 'pixel-pca' });
    expect((await waitJob(job)).state).toBe('done');
    const after = await api.workspace.info({});
    expect(after).toMatchObject({ activeModel: 'pixel-pca', projections: ['pca'], hasPatchTokens: false, hasIndex: true, index: { state: 'ready', size: N } });
    expect(events.some((e) => e.type === 'job' && e.job.id === job.id && e.job.state === 'done')).toBe(true);
    expect(events.some((e) => e.type === 'job' && e.job.id === job.id && e.job.state === 'running' && e.job.done > 0)).toBe(true);
    expect((await api.workspace.recent({})).map((r) => r.path)).toEqual([join(dir, 'ws')]);
  });

  it('serves columns and cutouts as typed arrays equal to the workspace', async () => {
    const ws = Workspace.open(join(dir, 'ws'), { readonly: true });
    try {
      const pos = await api.catalog.positions({});
      expect(pos.ra).toBeInstanceOf(Float32Array);
      expect(Array.from(pos.ra)).toEqual(Array.from(Float32Array.from(ws.column('ra'))));
      const truth = await api.catalog.classes({ column: 'truth' });
      const t = ws.truthColumn();
      expect(truth.codes.length).toBe(N);
      for (let i = 0; i < N; i++) expect(truth.names[truth.codes[i]]).toBe(t[i]);
      const mag = await api.catalog.numeric({ column: 'mag_r' });
      expect(mag.values[7]).toBe(Math.fround(ws.column('mag_r')[7]));
      const c = await api.cutouts.get({ idx: 42 });
      expect([c.width, c.height, c.bands]).toEqual([64, 64, ['g', 'r', 'z']]);
      expect(Array.from(c.data)).toEqual(Array.from(ws.getCutout(42).data));
      expect((await api.catalog.object({ idx: 42 })).id).toBe(ws.getObject(42).id);
      const proj = await api.embeddings.projection({ method: 'pca' });
      expect(proj.xy.length).toBe(2 * N);
    } finally {
      ws.close();
    }
  });

  it('answers neighbour queries from the HNSW index, agreeing with a brute-force cosine scan', async () => {
    const ws = Workspace.open(join(dir, 'ws'), { readonly: true });
    const m = ws.embeddings('pixel-pca');
    const d = m.dim,
      X = m.readAll();
    ws.close();
    const norm = (i: number) => Math.hypot(...X.subarray(i * d, (i + 1) * d));
    const brute = (q: number, k: number) =>
      Array.from({ length: N }, (_, i) => {
        let s = 0;
        for (let j = 0; j < d; j++) s += X[q * d + j] * X[i * d + j];
        return { i, s: s / (norm(q) * norm(i)) };
      })
        .filter((x) => x.i !== q)
        .sort((a, b) => b.s - a.s)
        .slice(0, k);
    let hits = 0,
      total = 0;
    for (let q = 0; q < N; q += 8) {
      const r = await api.search.neighbours({ idx: q, k: 10 });
      expect(r.method).toBe('hnsw');
      expect(r.neighbours.length).toBe(10);
      expect(Array.from(r.neighbours)).not.toContain(q);
      for (let k = 1; k < 10; k++) expect(r.distances[k]).toBeGreaterThanOrEqual(r.distances[k - 1] - 1e-6);
      const truth = new Set(brute(q, 10).map((x) => x.i));
      hits += Array.from(r.neighbours).filter((i) => truth.has(i)).length;
      total += 10;
      // the reported distances are the cosine distances of the returned objects
      const j = r.neighbours[0];
      let s = 0;
      for (let t = 0; t < d; t++) s += X[q * d + t] * X[j * d + t];
      expect(r.distances[0]).toBeCloseTo(1 - s / (norm(q) * norm(j)), 4);
    }
    expect(hits / total).toBeGreaterThanOrEqual(0.95);
  });

  it('labels, retrains the probe, ranks unlabelled objects and keeps the result across a restart', async () => {
    const truth = await api.catalog.classes({ column: 'truth' });
    const star = truth.names.indexOf('star');
    const stars = Array.from(truth.codes.keys()).filter((i) => truth.codes[i] === star);
    const others = Array.from(truth.codes.keys()).filter((i) => truth.codes[i] !== star);
    await api.probe.create({ name: 'stars', description: 'point sources' });
    await expect(api.probe.retrain({ search: 'stars' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    for (const i of stars.slice(0, 4)) await api.probe.setLabel({ search: 'stars', idx: i, label: 'positive' });
    for (const i of others.slice(0, 4)) await api.probe.setLabel({ search: 'stars', idx: i, label: 'negative' });
    const labels = await api.probe.labels({ search: 'stars' });
    expect(labels.codes.reduce((a, c) => a + (c ? 1 : 0), 0)).toBe(8);
    const r = await api.probe.retrain({ search: 'stars' });
    expect(r.round).toBe(1);
    expect(r.scores.length).toBe(N);
    expect(r.ranked.length).toBe(N - 8);
    for (let k = 1; k < r.ranked.length; k++) expect(r.scores[r.ranked[k]]).toBeLessThanOrEqual(r.scores[r.ranked[k - 1]]);
    expect(Array.from(r.ranked).some((i) => labels.codes[i] !== 0)).toBe(false);
    expect(r.suggestions.length).toBeGreaterThan(0);
    // the probe separates the class it was taught: unlabelled stars rank above the median
    const rank = new Map(Array.from(r.ranked, (idx, k) => [idx, k]));
    const starRanks = stars.slice(4).map((i) => rank.get(i)!);
    expect(starRanks.reduce((a, b) => a + b, 0) / starRanks.length).toBeLessThan(r.ranked.length / 2);
    const exp = await api.probe.exportRanked({ search: 'stars', top: 20 });
    const csv = readFileSync(exp.path, 'utf8').trim().split('\n');
    // the one candidate table (export/candidates.ts): the 8 labelled objects and the top 20 unlabelled, by score
    expect(csv[0]).toBe('ra,dec,id,score,label,search,model,round,rank,idx');
    expect(csv).toHaveLength(1 + 8 + 20);
    const unlabelled = csv
      .slice(1)
      .map((l) => l.split(','))
      .filter((c) => c[4] === '')
      .map((c) => Number(c[9]));
    // the round the scores come from, on every row
    expect(new Set(csv.slice(1).map((l) => l.split(',')[7]))).toEqual(new Set([String(r.round)]));
    expect(unlabelled).toEqual(Array.from(r.ranked.subarray(0, 20)));

    await stop();
    await start();
    // a fresh engine has no workspace open until asked
    await expect(api.probe.result({ search: 'stars' })).rejects.toMatchObject({ code: 'WORKSPACE_INVALID' });
  });

  it('after reopening, the probe result, rounds and vetting grades are still there', async () => {
    await api.workspace.open({ path: join(dir, 'ws') });
    const r = await api.probe.result({ search: 'stars' });
    expect(r?.round).toBe(1);
    expect(r?.history).toHaveLength(1);
    const list = await api.vetting.createFromSearch({ name: 'check', search: 'stars', top: 10 });
    expect(Array.from(list.order)).toEqual(Array.from(r!.ranked.subarray(0, 10)));
    expect(list.cursor).toBe(0);
    await api.vetting.grade({ name: 'check', idx: list.order[0], grade: 2, features: ['shell', 'plume'], note: 'clear, "quoted", note' });
    await api.vetting.grade({ name: 'check', idx: list.order[1], grade: 0, features: [], note: '' });
    await expect(api.vetting.grade({ name: 'check', idx: r!.ranked[50], grade: 1, features: [], note: '' })).rejects.toMatchObject({ code: 'UNKNOWN_OBJECT' });
    await stop();
    await start();
    await api.workspace.open({ path: join(dir, 'ws') });
    const back = await api.vetting.get({ name: 'check' });
    expect(Array.from(back.grades.subarray(0, 3))).toEqual([2, 0, -1]);
    expect(back.features[0]).toBe(0b1001);
    expect(back.cursor).toBe(2);
    expect(back.notes[back.order[0]]).toBe('clear, "quoted", note');
    const out = await api.vetting.export({ name: 'check' });
    const lines = readFileSync(out.path, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('idx,id,ra,dec,grade,shell,stream,tail,plume,note');
    expect(lines[1].endsWith(',2,1,0,0,1,"clear, ""quoted"", note"')).toBe(true);
    expect(lines).toHaveLength(11);
  });

  it('streams job progress and cancels a running projection', async () => {
    const seen: JobInfo[] = [];
    const off = api.onEvent((e) => {
      if (e.type === 'job') seen.push(e.job);
    });
    const job = await api.embeddings.startProjection({ method: 'umap' });
    await api.jobs.cancel({ id: job.id });
    const end = await waitJob(job);
    off();
    expect(end.state).toBe('cancelled');
    expect(seen.at(-1)).toMatchObject({ id: job.id, state: 'cancelled' });
    expect((await api.jobs.list({})).find((j) => j.id === job.id)?.state).toBe('cancelled');
    await expect(api.jobs.cancel({ id: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('errors cross as AppError; bad input never reaches the engine', async () => {
    const e = await api.cutouts.get({ idx: N }).catch((x) => x);
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe('UNKNOWN_OBJECT');
    await expect(api.probe.labels({ search: 'nosuch' })).rejects.toMatchObject({ code: 'UNKNOWN_SEARCH' });
    await expect(api.catalog.numeric({ column: 'nosuch' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.patches.overlay({ idx: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.workspace.open({ path: join(dir, 'www') })).rejects.toMatchObject({ code: 'WORKSPACE_INVALID' });
  });

  it('guards the socket with the token and the Origin, and the static files with a path guard', async () => {
    await expect(connectNodeBridge(`ws://127.0.0.1:${host.port}/ws?token=wrong`)).rejects.toThrow('403');
    await expect(connectNodeBridge(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, { Origin: 'http://evil.example' })).rejects.toThrow('403');
    const base = `http://127.0.0.1:${host.port}`;
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('content-security-policy')).not.toContain('unsafe-eval');
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%2fsecret.txt', '/.hidden', '/a%00b']) {
      const r = await rawGet(host.port, p);
      expect(r.status, p).toBeGreaterThanOrEqual(400);
      expect(r.body).not.toContain('OUTSIDE');
    }
  });
});
