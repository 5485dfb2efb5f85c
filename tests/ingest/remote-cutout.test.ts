/**
 * The inspector's pixels on a workspace without pixels, through the contract
 * (the real engine behind createDispatcher): online, `cutouts.get` fetches the
 * object's cutout from a loopback server that answers like the Legacy Survey
 * cutout service (tests/helpers/loopback-survey-server.ts), validated and
 * cached in the workspace (a second view makes no request, and works offline);
 * an HTML error page is refused (FITS_CORRUPT) and not cached; offline it
 * fails at once with one UNAVAILABLE "no pixels offline" line.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, createDispatcher } from '@app/contracts';
import { readFits, readImage } from '@app/fits';
import { npyFloat32 } from '@main/node/export/npy';
import { ingestEmbeddings } from '@main/node/ingest/embeddings/ingest';
import { CutoutCache } from '@main/node/ingest/legacysurvey/cache';
import { forgetReachability, REMOTE_LAYER } from '@main/node/ingest/legacysurvey/remote-cutout';
import { coordText } from '@main/node/ingest/legacysurvey/urls';
import { Engine } from '@main/node/services/engine';
import { freePort } from '../e2e/harness';
import { cutoutFits, startSurveyServer, type SurveyServer } from '../helpers/loopback-survey-server';

const N = 30,
  D = 8;
const ra = (i: number) => 150 + i * 0.01,
  dec = (i: number) => 2 + i * 0.01;

describe('the inspector cutout of a workspace without pixels', () => {
  let dir: string, engine: Engine, api: ReturnType<typeof createApiClient>, server: SurveyServer, wsDir: string;
  const before = process.env.LATENT_SKY_CUTOUT_URL;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'remote-cutout-'));
    const rows = Float32Array.from({ length: N * D }, (_, k) => Math.sin(k * 0.7) + (k % D === 0 ? 2 : 0));
    writeFileSync(join(dir, 'v.npy'), npyFloat32(rows, [N, D]));
    writeFileSync(join(dir, 'c.csv'), 'id,ra,dec\n' + Array.from({ length: N }, (_, i) => `OBJ${i},${ra(i)},${dec(i)}`).join('\n') + '\n');
    wsDir = join(dir, 'ws');
    await ingestEmbeddings(wsDir, { catalog: join(dir, 'c.csv'), vectors: join(dir, 'v.npy'), modelName: 'toy-8' });
    server = await startSurveyServer({ behave: (r) => (r.key === `${coordText(ra(7))},${coordText(dec(7))}` ? { kind: 'html' } : undefined) });
    engine = new Engine({ stateDir: join(dir, 'state'), modelsDir: join(dir, 'models'), roots: [dir] });
    const dispatch = createDispatcher(engine, engine.validationContext);
    api = createApiClient({ invoke: (c, i) => dispatch(c, i) as never, onEvent: engine.onEvent });
    await api.workspace.open({ path: wsDir });
  }, 60_000);
  afterAll(async () => {
    if (before === undefined) delete process.env.LATENT_SKY_CUTOUT_URL;
    else process.env.LATENT_SKY_CUTOUT_URL = before;
    forgetReachability();
    await engine?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('online: fetches, validates and caches the cutout in the workspace; a second view needs no request', async () => {
    process.env.LATENT_SKY_CUTOUT_URL = server.base;
    forgetReachability();
    const info = await api.workspace.info({});
    expect(info?.pixels).toBe(false);
    const c = await api.cutouts.get({ idx: 3 });
    expect([c.width, c.height, c.bands]).toEqual([64, 64, ['g', 'r', 'z']]);
    const sent = readImage(readFits(cutoutFits(ra(3), dec(3), 64, 'grz', 0.262)).hdus[0]);
    expect(Array.from(c.data)).toEqual(Array.from(sent.data));
    const key = `${coordText(ra(3))},${coordText(dec(3))}`;
    expect(server.counts.get(key)).toBe(1);
    const cache = new CutoutCache(join(wsDir, 'cache', 'legacysurvey'), { layer: REMOTE_LAYER, pixscale: 0.262, size: 64, bands: 'grz' });
    expect(existsSync(cache.path(ra(3), dec(3)))).toBe(true);
    await api.cutouts.get({ idx: 3 });
    expect(server.counts.get(key)).toBe(1);
  });

  it('an HTML error page instead of FITS is refused with its code and not cached', async () => {
    process.env.LATENT_SKY_CUTOUT_URL = server.base;
    await expect(api.cutouts.get({ idx: 7 })).rejects.toMatchObject({ code: 'FITS_CORRUPT', message: expect.stringMatching(/HTML page/) });
    const cache = new CutoutCache(join(wsDir, 'cache', 'legacysurvey'), { layer: REMOTE_LAYER, pixscale: 0.262, size: 64, bands: 'grz' });
    expect(existsSync(cache.path(ra(7), dec(7)))).toBe(false);
  });

  it('offline: "no pixels offline" at once, without requests; what was cached still shows', async () => {
    process.env.LATENT_SKY_CUTOUT_URL = `http://127.0.0.1:${await freePort()}/viewer`;
    forgetReachability();
    const total = server.total();
    const t = performance.now();
    await expect(api.cutouts.get({ idx: 12 })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/^no pixels offline: .*cannot be reached \(ECONNREFUSED\)/),
    });
    await expect(api.cutouts.get({ idx: 13 })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/^no pixels offline/) });
    console.log(`offline: two refusals in ${(performance.now() - t).toFixed(0)} ms`);
    expect((await api.cutouts.get({ idx: 3 })).width).toBe(64);
    expect(server.total()).toBe(total);
  });
});
