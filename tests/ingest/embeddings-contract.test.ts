/**
 * "Add data" of an embedding catalogue through the contract (the real engine
 * behind createDispatcher): a HATS folder written by hyparquet-writer with its
 * own vector column becomes a workspace without pixels that the views use:
 * positions, neighbours, a PCA projection; the inspector's cutout is refused
 * with "no pixels offline", and embedding it says so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, createDispatcher } from '@app/contracts';
import { Engine } from '@main/node/services/engine';
import { hasPython, writeHats, writePythonFiles } from './embeddings-files';

const ok = hasPython();
if (!ok) console.warn('tests/ingest/embeddings-contract.test.ts skipped: /usr/bin/python3 with numpy, h5py and astropy writes the test files');

describe.skipIf(!ok)('IngestService: embeddings source', () => {
  let dir: string, engine: Engine, api: ReturnType<typeof createApiClient>;
  beforeAll(() => {
    // offline whatever the machine's network: the inspector's Legacy Survey fetch must say "no pixels offline"
    process.env.LATENT_SKY_CUTOUT_URL = 'http://127.0.0.1:1/viewer';
    dir = mkdtempSync(join(tmpdir(), 'emb-api-'));
    engine = new Engine({ stateDir: join(dir, 'state'), modelsDir: join(dir, 'models'), roots: [dir] });
    const dispatch = createDispatcher(engine, engine.validationContext);
    api = createApiClient({ invoke: (c, i) => dispatch(c, i) as never, onEvent: engine.onEvent });
  });
  afterAll(async () => {
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a HATS catalogue with vectors into a new workspace the views can use', async () => {
    const w = writePythonFiles(dir, 200, 16, 2);
    writeHats(join(dir, 'hats'), w);
    await expect(api.ingest.start({ source: 'embeddings', path: join(dir, 'hats'), workspace: join(dir, 'ws'), options: {} } as never)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/vectors/),
    });
    const job = await api.ingest.start({
      source: 'embeddings',
      path: join(dir, 'hats'),
      vectors: 'emb',
      workspace: join(dir, 'ws'),
      options: { modelName: 'toy-16' },
    });
    const end = await engine.waitForJob(job.id);
    expect(end.error).toBeNull();
    const r = (await api.ingest.lastReport({}))!;
    expect(r).toMatchObject({ state: 'done', total: 200, added: 198, skippedCount: 2 });
    const info = await api.workspace.info({});
    expect(info?.count).toBe(198);
    const pos = await api.catalog.positions({});
    expect(pos.ra.length).toBe(198);
    const nn = await api.search.neighbours({ idx: 0, k: 5 });
    expect(nn.neighbours.length).toBe(5);
    const pj = await api.embeddings.startProjection({ method: 'pca' });
    expect((await engine.waitForJob(pj.id)).error).toBeNull();
    expect((await api.embeddings.projection({ method: 'pca' })).xy.length).toBe(2 * 198);
    await expect(api.cutouts.get({ idx: 0 })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/no pixels offline/) });
    const em = await api.embeddings.startEmbed({ model: null });
    expect((await engine.waitForJob(em.id)).error).toMatchObject({ message: expect.stringMatching(/no pixels offline/) });
  });
});
