/**
 * Vetting's enlarged view with the Legacy Survey model and residual layers,
 * in Chromium on the demo workspace with its simulated searches: with
 * LATENT_SKY_CUTOUT_URL at a loopback server that answers like the cutout
 * service (tests/helpers/loopback-survey-server.ts), the image, model and
 * residual panels show, the layers painted with the enlarged view's stretch
 * and fetched for the enlarged object only (not for every grid card); with
 * the service unreachable, a plain "model/residual: offline" note beside the
 * image.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type CutoutLayer, type LatentSkyApi } from '@app/contracts';
import { renderCutout } from '@app/image';
import { coordText } from '@main/node/ingest/legacysurvey/urls';
import { displaySpec, FIXED_STRETCH, STRETCH_PRESETS, type StretchSettings } from '@renderer/src/gfx/stretch-spec';
import { connectNodeBridge } from '../contracts/ws-client';
import { startSurveyServer, type SurveyServer } from '../helpers/loopback-survey-server';
import { DEMO_COUNT, demoWorkspaceCopy } from './demo-fixture';
import { ensureFreshRenderer, freePort, launchChromium, serve, type Served } from './harness';

const objects = `${DEMO_COUNT.toLocaleString('en-US')} objects`;
let browser: Browser;
let survey: SurveyServer;
const fixtures: ReturnType<typeof demoWorkspaceCopy>[] = [];
const hosts: Served[] = [];

async function engine<T>(served: Served, fn: (api: LatentSkyApi) => Promise<T>): Promise<T> {
  const bridge = await connectNodeBridge(served.url.replace('http://', 'ws://').replace('/?token=', '/ws?token='));
  try {
    return await fn(createApiClient(bridge));
  } finally {
    bridge.close();
  }
}

/** the demo, served with the cutout service at `cutoutUrl`, a vetting list made from a search, opened on the Vetting tab */
async function openVetting(cutoutUrl: string): Promise<{ served: Served; page: Page }> {
  const fixture = demoWorkspaceCopy();
  fixtures.push(fixture);
  const served = await serve([fixture.ws, '--no-samp'], { LATENT_SKY_HOME: fixture.home, HOME: fixture.home, SAMP_HUB: '', LATENT_SKY_CUTOUT_URL: cutoutUrl });
  hosts.push(served);
  await engine(served, (api) => api.vetting.createFromSearch({ name: 'layers-check', search: 'demo-ring', top: 12 }));
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(served.url);
  await page.locator('.toolbar .ws').filter({ hasText: objects }).waitFor({ timeout: 60_000 });
  await page.locator('button[data-tab=vetting]').click();
  await page.locator('[data-testid=vet-enlarged] canvas').waitFor();
  return { served, page };
}

/** the RGBA bytes on the canvas matching `sel`, and the object it shows */
function drawn(page: Page, sel: string): Promise<{ idx: number; data: number[] }> {
  return page.locator(sel).evaluate((el) => {
    const c = el as unknown as {
      width: number;
      height: number;
      dataset: Record<string, string>;
      getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
    };
    return { idx: Number(c.dataset.idx), data: c.width > 1 ? Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data) : [] };
  });
}

/** the panel shows this layer of object `idx` in stretch `s` (to within 1 level: the canvas round trip) */
async function showsLayer(served: Served, page: Page, layer: CutoutLayer, idx: number, s: StretchSettings): Promise<boolean> {
  const d = await drawn(page, `[data-testid=vet-layers] canvas[data-layer=${layer}]`);
  if (!d.data.length || d.idx !== idx) return false;
  const c = await engine(served, (api) => api.cutouts.layer({ idx, layer }));
  const e = renderCutout(c, displaySpec(c, s));
  return e.length === d.data.length && e.every((v, i) => Math.abs(v - d.data[i]) <= 1);
}

describe('vetting: the model and residual beside the enlarged image', () => {
  beforeAll(async () => {
    await ensureFreshRenderer();
    survey = await startSurveyServer();
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    for (const h of hosts) await h.stop();
    await survey?.close();
    for (const f of fixtures) f.cleanup();
  });

  it('online: image, model and residual panels, in the enlarged stretch, fetched for the enlarged object only', async () => {
    const { served, page } = await openVetting(survey.base);
    const idx = Number(await page.locator('[data-testid=vet-enlarged] canvas').getAttribute('data-idx'));
    await expect.poll(() => showsLayer(served, page, 'ls-dr10-model', idx, FIXED_STRETCH), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => showsLayer(served, page, 'ls-dr10-resid', idx, FIXED_STRETCH), { timeout: 15_000 }).toBe(true);
    expect((await drawn(page, '[data-testid=vet-enlarged] canvas')).data.length).toBeGreaterThan(0);
    const model = await drawn(page, '[data-testid=vet-layers] canvas[data-layer=ls-dr10-model]');
    const resid = await drawn(page, '[data-testid=vet-layers] canvas[data-layer=ls-dr10-resid]');
    expect(model.data).not.toEqual(resid.data);
    // one object asked for, once per layer, though the grid shows 12 cards (the image layer is the demo's own pixels)
    const { ra, dec } = await engine(served, (api) => api.catalog.object({ idx }));
    const key = `${coordText(ra)},${coordText(dec)}`;
    expect([...survey.layerCounts.entries()].sort()).toEqual([
      [`ls-dr10-model ${key}`, 1],
      [`ls-dr10-resid ${key}`, 1],
    ]);
    expect(await page.locator('.vet-card').count()).toBe(12);
    // the enlarged view's own stretch is the layers' stretch too
    await page.locator('[data-testid=vet-enlarged] button[data-preset=lsb]').click();
    await expect.poll(() => showsLayer(served, page, 'ls-dr10-model', idx, STRETCH_PRESETS.lsb), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => showsLayer(served, page, 'ls-dr10-resid', idx, STRETCH_PRESETS.lsb), { timeout: 15_000 }).toBe(true);
    // another card: its layers, fetched then
    const other = Number(await page.locator('.vet-card[data-pos="3"]').getAttribute('data-idx'));
    await page.locator('.vet-card[data-pos="3"]').click();
    await expect.poll(() => showsLayer(served, page, 'ls-dr10-model', other, STRETCH_PRESETS.lsb), { timeout: 15_000 }).toBe(true);
    expect(survey.total()).toBe(4);
    await page.screenshot({ path: 'test-results/screenshots/vetting-layers.png' });
    await page.close();
  }, 120_000);

  it('offline: the image shows, and beside it a plain "model/residual: offline" note', async () => {
    const { page } = await openVetting(`http://127.0.0.1:${await freePort()}/viewer`);
    const before = survey.total();
    await page.locator('[data-testid=vet-layers-note]', { hasText: /^model\/residual: offline$/ }).waitFor({ timeout: 10_000 });
    await expect.poll(async () => (await drawn(page, '[data-testid=vet-enlarged] canvas')).data.length, { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=vet-layers] canvas').count()).toBe(0);
    expect(await page.locator('[role=alert]').count()).toBe(0);
    expect(survey.total()).toBe(before);
    await page.close();
  }, 120_000);
});
