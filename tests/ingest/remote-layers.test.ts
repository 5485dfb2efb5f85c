/**
 * The Legacy Survey model and residual layers of one object through the
 * contract (`cutouts.layer`, the real engine behind createDispatcher), against
 * a loopback server that answers like the cutout service
 * (tests/helpers/loopback-survey-server.ts) and serves the layer asked for:
 * the request carries the layer, each layer is cached under its own folder
 * (WS/cache/legacysurvey/<layer>/...) and not fetched again; a layer that is
 * not a Legacy Survey layer is BAD_INPUT before any request; offline it is
 * UNAVAILABLE at once, and cached layers still show.
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
import { forgetReachability } from '@main/node/ingest/legacysurvey/remote-cutout';
import { coordText } from '@main/node/ingest/legacysurvey/urls';
import { Engine } from '@main/node/services/engine';
import { freePort } from '../e2e/harness';
import { cutoutFits, startSurveyServer, type SurveyServer } from '../helpers/loopback-survey-server';

const N = 20,
  D = 8;
const ra = (i: number) => 210 + i * 0.01,
  dec = (i: number) => -1 + i * 0.01;
const key = (i: number) => `${coordText(ra(i))},${coordText(dec(i))}`;
const sent = (i: number, layer: string) => Array.from(readImage(readFits(cutoutFits(ra(i), dec(i), 64, 'grz', 0.262, layer)).hdus[0]).data);

describe('the model and residual layers of one object', () => {
  let dir: string, engine: Engine, api: ReturnType<typeof createApiClient>, server: SurveyServer, wsDir: string;
  const before = process.env.LATENT_SKY_CUTOUT_URL;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'remote-layers-'));
    const rows = Float32Array.from({ length: N * D }, (_, k) => Math.cos(k * 0.3) + (k % D === 1 ? 1 : 0));
    writeFileSync(join(dir, 'v.npy'), npyFloat32(rows, [N, D]));
    writeFileSync(join(dir, 'c.csv'), 'id,ra,dec\n' + Array.from({ length: N }, (_, i) => `L${i},${ra(i)},${dec(i)}`).join('\n') + '\n');
    wsDir = join(dir, 'ws');
    await ingestEmbeddings(wsDir, { catalog: join(dir, 'c.csv'), vectors: join(dir, 'v.npy'), modelName: 'toy-8' });
    server = await startSurveyServer();
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

  it('online: asks for the layer named, gets that layer, caches each layer apart and fetches none twice', async () => {
    process.env.LATENT_SKY_CUTOUT_URL = server.base;
    forgetReachability();
    const model = await api.cutouts.layer({ idx: 4, layer: 'ls-dr10-model' });
    const resid = await api.cutouts.layer({ idx: 4, layer: 'ls-dr10-resid' });
    const image = await api.cutouts.layer({ idx: 4, layer: 'ls-dr10' });
    expect([model.idx, model.width, model.height, model.bands]).toEqual([4, 64, 64, ['g', 'r', 'z']]);
    expect(Array.from(model.data)).toEqual(sent(4, 'ls-dr10-model'));
    expect(Array.from(resid.data)).toEqual(sent(4, 'ls-dr10-resid'));
    expect(Array.from(image.data)).toEqual(sent(4, 'ls-dr10'));
    // three different cubes: model + residual = image (to float32 rounding), and the model is not the image
    expect(Array.from(model.data)).not.toEqual(Array.from(image.data));
    const worst = Math.max(...Array.from(image.data, (v, k) => Math.abs(v - model.data[k] - resid.data[k])));
    expect(worst).toBeLessThan(1e-5);
    expect([...server.layerCounts.entries()].sort()).toEqual([
      [`ls-dr10 ${key(4)}`, 1],
      [`ls-dr10-model ${key(4)}`, 1],
      [`ls-dr10-resid ${key(4)}`, 1],
    ]);
    for (const layer of ['ls-dr10', 'ls-dr10-model', 'ls-dr10-resid'])
      expect(existsSync(new CutoutCache(join(wsDir, 'cache', 'legacysurvey'), { layer, pixscale: 0.262, size: 64, bands: 'grz' }).path(ra(4), dec(4)))).toBe(
        true,
      );
    const total = server.total();
    await api.cutouts.layer({ idx: 4, layer: 'ls-dr10-model' });
    await api.cutouts.layer({ idx: 4, layer: 'ls-dr10-resid' });
    await api.cutouts.get({ idx: 4 }); // the image layer is the inspector's cutout: one cache
    expect(server.total()).toBe(total);
  });

  it('a layer that is not one of the three is BAD_INPUT, without a request', async () => {
    const total = server.total();
    await expect(api.cutouts.layer({ idx: 4, layer: 'ls-dr9-model' as never })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/layer/),
    });
    await expect(api.cutouts.layer({ idx: N, layer: 'ls-dr10-model' })).rejects.toMatchObject({ code: 'UNKNOWN_OBJECT' });
    expect(server.total()).toBe(total);
  });

  it('offline: UNAVAILABLE at once naming the layer, without requests; cached layers still show', async () => {
    process.env.LATENT_SKY_CUTOUT_URL = `http://127.0.0.1:${await freePort()}/viewer`;
    forgetReachability();
    const total = server.total();
    const t = performance.now();
    await expect(api.cutouts.layer({ idx: 9, layer: 'ls-dr10-model' })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/^no ls-dr10-model layer offline: .*cannot be reached/),
    });
    await expect(api.cutouts.layer({ idx: 9, layer: 'ls-dr10-resid' })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/^no ls-dr10-resid layer offline/),
    });
    const ms = performance.now() - t;
    console.log(`offline: two layer refusals in ${ms.toFixed(0)} ms`);
    expect(Array.from((await api.cutouts.layer({ idx: 4, layer: 'ls-dr10-resid' })).data)).toEqual(sent(4, 'ls-dr10-resid'));
    expect(server.total()).toBe(total);
  });
});
