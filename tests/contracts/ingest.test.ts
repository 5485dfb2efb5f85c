/**
 * "Add data" through the contract: the real engine behind createDispatcher
 * (inputs validated like IPC / the dev host), Legacy Survey downloads from the
 * loopback survey server with injected bad answers, cancel and resume, and
 * the validators refusing bad input.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, createDispatcher, type EngineEvent, type JobInfo } from '@app/contracts';
import { coordText } from '@main/node/ingest/legacysurvey/urls';
import { Engine } from '@main/node/services/engine';
import { Workspace } from '@main/node/workspace/workspace';
import { startSurveyServer, type Behaviour, type SurveyServer } from '../helpers/loopback-survey-server';

const N = 30;
const ra = Array.from({ length: N }, (_, i) => 150 + i * 0.013);
const dec = Array.from({ length: N }, (_, i) => 2 + i * 0.011);
const BAD: Record<number, Behaviour> = { 3: { kind: 'html' }, 7: { kind: 'status', status: 404 }, 11: { kind: 'zeros' }, 19: { kind: 'wrong-shape' } };

let dir: string;
let engine: Engine;
let api: ReturnType<typeof createApiClient>;
let server: SurveyServer;
const events: EngineEvent[] = [];

function catalogue(name: string, extraRows = ''): string {
  const p = join(dir, name);
  writeFileSync(p, 'objid,ra,dec,mag_r\n' + ra.map((r, i) => `obj${i},${r},${dec[i]},${(18 + i / 10).toFixed(1)}`).join('\n') + '\n' + extraRows);
  return p;
}

const badFor = (key: string): Behaviour | undefined => {
  const i = ra.findIndex((r, k) => `${coordText(r)},${coordText(dec[k])}` === key);
  return i >= 0 ? BAD[i] : undefined;
};

describe('IngestService through the contract', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ls-ingest-api-'));
    server = await startSurveyServer({ behave: (r) => badFor(r.key) });
    engine = new Engine({ stateDir: join(dir, 'state'), modelsDir: join(dir, 'models'), roots: [dir] });
    const dispatch = createDispatcher(engine, engine.validationContext);
    api = createApiClient({ invoke: (c, i) => dispatch(c, i) as never, onEvent: engine.onEvent });
    api.onEvent((e) => events.push(e));
  });

  afterAll(async () => {
    await engine?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('refuses bad input before anything runs', async () => {
    const cat = catalogue('refuse.csv');
    const start = (input: unknown) => api.ingest.start(input as never);
    await expect(start({ source: 'legacysurvey', path: 'relative/cat.csv', options: {} })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/path must be an absolute path/),
    });
    await expect(start({ source: 'legacysurvey', path: `${cat}\0x`, options: {} })).rejects.toMatchObject({ message: expect.stringMatching(/NUL/) });
    await expect(start({ source: 'legacysurvey', path: '/' + 'a'.repeat(5000), options: {} })).rejects.toMatchObject({
      message: expect.stringMatching(/longer than/),
    });
    await expect(start({ source: 'sdss', path: cat, options: {} })).rejects.toMatchObject({ message: expect.stringMatching(/source must be one of/) });
    await expect(start({ source: 'legacysurvey', path: cat, options: { baseUrl: 'ftp://example.org/viewer' } })).rejects.toMatchObject({
      message: expect.stringMatching(/http\(s\) URL/),
    });
    await expect(start({ source: 'legacysurvey', path: cat, options: { baseUrl: 'javascript:alert(1)' } })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(start({ source: 'legacysurvey', path: cat, options: { size: 4096 } })).rejects.toMatchObject({
      message: expect.stringMatching(/size must be in \[8, 512\]/),
    });
    await expect(start({ source: 'legacysurvey', path: cat, options: { rate: Number.NaN } })).rejects.toMatchObject({
      message: expect.stringMatching(/rate must be a finite number/),
    });
    await expect(start({ source: 'legacysurvey', path: cat, options: { concurrency: 2.5 } })).rejects.toMatchObject({
      message: expect.stringMatching(/concurrency must be an integer/),
    });
    await expect(start({ source: 'legacysurvey', path: cat, options: { layer: '../x' } })).rejects.toMatchObject({ message: expect.stringMatching(/layer/) });
    await expect(start({ source: 'legacysurvey', path: cat, options: { evil: 1 } })).rejects.toMatchObject({
      message: expect.stringMatching(/unexpected field 'evil'/),
    });
    await expect(start({ source: 'hdf5', path: cat, catalog: cat, options: {} })).rejects.toMatchObject({
      message: expect.stringMatching(/carries its own catalogue/),
    });
    // valid input, but nothing to add to and no workspace named
    await expect(start({ source: 'legacysurvey', path: cat, options: {} })).rejects.toMatchObject({ code: 'WORKSPACE_INVALID' });
    await expect(start({ source: 'legacysurvey', path: join(dir, 'missing.csv'), workspace: join(dir, 'x'), options: {} })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(start({ source: 'folder', path: cat, workspace: join(dir, 'x'), options: {} })).rejects.toMatchObject({
      message: expect.stringMatching(/is not a folder/),
    });
    expect((await api.jobs.list({})).filter((j) => j.kind === 'ingest')).toEqual([]);
    await expect(api.ingest.lastReport({})).resolves.toBeNull();
  });

  it('downloads a catalogue into a new workspace, reports every skipped object with its reason', async () => {
    const cat = catalogue('cat.csv', 'badrow,abc,3,1\npole,10,95,1\n');
    const wsDir = join(dir, 'ls.lsky');
    events.length = 0;
    const job = await api.ingest.start({
      source: 'legacysurvey',
      path: cat,
      workspace: wsDir,
      options: { baseUrl: server.base, size: 16, concurrency: 3, rate: 100 },
    });
    expect(job).toMatchObject({ kind: 'ingest', state: 'running' });
    const end = await engine.waitForJob(job.id);
    expect(end.error).toBeNull();
    expect(end.state).toBe('done');
    const r = (await api.ingest.lastReport({}))!;
    const bad = Object.keys(BAD).length;
    expect(r).toMatchObject({
      jobId: job.id,
      state: 'done',
      total: N + 2,
      added: N - bad,
      alreadyPresent: 0,
      downloaded: N - bad,
      cancelled: false,
      objects: N - bad,
      error: null,
    });
    expect(r.skippedCount).toBe(bad + 2);
    const why = Object.fromEntries(r.skipped.map((s) => [s.id, s]));
    expect(why.obj3).toMatchObject({ code: 'FITS_CORRUPT', reason: expect.stringMatching(/HTML page/) });
    expect(why.obj7).toMatchObject({ code: 'HTTP', reason: expect.stringMatching(/404/) });
    expect(why.obj11).toMatchObject({ code: 'NOT_FOUND', reason: expect.stringMatching(/no data/) });
    expect(why.obj19).toMatchObject({ code: 'FITS_CORRUPT', reason: expect.stringMatching(/shape/) });
    expect(
      r.skipped
        .filter((s) => s.row !== null)
        .map((s) => s.row)
        .sort((a, b) => a! - b!),
    ).toEqual([3, 7, 11, 19, 30, 31]);
    expect(r.skippedByReason.reduce((a, g) => a + g.count, 0)).toBe(bad + 2);
    // the engine opened the new workspace and told the views; progress went through job events
    const info = await api.workspace.info({});
    expect(info).toMatchObject({ count: N - bad, bands: ['g', 'r', 'z'] });
    // the workspace was announced when it was created and opened; the objects came as a delta
    expect(events.some((e) => e.type === 'objects' && e.count === N - bad && e.added === N - bad)).toBe(true);
    const progress = events.filter((e): e is { type: 'job'; job: JobInfo } => e.type === 'job' && e.job.id === job.id);
    expect(progress.some((e) => e.job.stage.startsWith('downloading') && e.job.total === N)).toBe(true);
    // the objects are the catalogue's, with the cutout geometry asked for
    const objs = await Promise.all([0, N - bad - 1].map((idx) => api.catalog.object({ idx })));
    expect(objs.map((o) => o.id)).toEqual(['obj0', 'obj29']);
    const c = await api.cutouts.get({ idx: 0 });
    expect([c.width, c.height, c.bands]).toEqual([16, 16, ['g', 'r', 'z']]);
  });

  it('adds to the open workspace: repeated objects are recognised, a clashing geometry is refused', async () => {
    const cat = catalogue('again.csv');
    await expect(api.ingest.start({ source: 'legacysurvey', path: cat, options: { baseUrl: server.base, size: 32 } })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/size 16 cutouts/),
    });
    const before = server.total();
    server.setBehaviour(undefined); // the service works again: the 4 failures now succeed
    const job = await api.ingest.start({ source: 'legacysurvey', path: cat, options: { baseUrl: server.base, rate: 100 } });
    await engine.waitForJob(job.id);
    const r = (await api.ingest.lastReport({}))!;
    expect(r).toMatchObject({ added: 4, alreadyPresent: N - 4, skippedCount: 0, objects: N });
    expect(server.total() - before).toBe(4);
    expect((await api.workspace.info({}))!.count).toBe(N);
  });

  it('cancels a slow download, keeps what arrived, and resumes from the cache and the workspace', async () => {
    const cat = catalogue('slow.csv');
    const wsDir = join(dir, 'slow.lsky');
    server.setBehaviour(() => ({ kind: 'slow', ms: 250 }));
    const job = await api.ingest.start({
      source: 'legacysurvey',
      path: cat,
      workspace: wsDir,
      options: { baseUrl: server.base, size: 16, concurrency: 2, rate: 100 },
    });
    await new Promise<void>((ok) => {
      const off = api.onEvent((e) => {
        if (e.type === 'job' && e.job.id === job.id && e.job.done >= 4) {
          off();
          ok();
        }
      });
    });
    await api.jobs.cancel({ id: job.id });
    const end = await engine.waitForJob(job.id);
    expect(end.state).toBe('cancelled');
    const r = (await api.ingest.lastReport({}))!;
    expect(r.cancelled).toBe(true);
    expect(r.state).toBe('cancelled');
    expect(r.added).toBeGreaterThanOrEqual(4);
    expect(r.added).toBeLessThan(N);
    expect((await api.workspace.info({}))!.count).toBe(r.added);
    server.setBehaviour(undefined);
    const again = await api.ingest.start({ source: 'legacysurvey', path: cat, options: { baseUrl: server.base, rate: 100 } });
    await engine.waitForJob(again.id);
    const r2 = (await api.ingest.lastReport({}))!;
    expect(r2).toMatchObject({ alreadyPresent: r.added, added: N - r.added, objects: N, cancelled: false });
    // the report is kept in the workspace: a fresh engine (app restart) still shows it
    await engine.close();
    engine = new Engine({ stateDir: join(dir, 'state'), modelsDir: join(dir, 'models'), roots: [dir] });
    engine.open(wsDir);
    const kept = await engine.ingest.lastReport({});
    expect(kept).toMatchObject({ jobId: again.id, added: N - r.added, objects: N });
    expect(Workspace.isWorkspace(wsDir)).toBe(true);
  });
});
