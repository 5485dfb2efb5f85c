/**
 * The views on the demo workspace with its simulated searches, in Chromium on
 * software GL: a scatter click picks the point under the cursor however long
 * the press (and a few pixels off), Explore stays mounted across tabs (same
 * WebGL canvas, zoom kept), the scatter refits on resize, the toolbar fits
 * at 1280 and 1440 px, finished job bars go away; the Add data dialog's
 * defaults are valid, offline it fails at once with one clear line, and a
 * folder without its catalogue says so without naming CLI flags.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type LatentSkyApi } from '../../app/contracts';
import { connectNodeBridge } from '../contracts/ws-client';
import { DEMO_COUNT, demoWorkspaceCopy } from './demo-fixture';
import { ensureFreshRenderer, launchChromium, serve, type Served } from './harness';

let fixture: ReturnType<typeof demoWorkspaceCopy>;
let served: Served;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const objects = `${DEMO_COUNT.toLocaleString('en-US')} objects`;

interface View { target: number[]; zoom: number; width: number; height: number }

async function engine<T>(fn: (api: LatentSkyApi) => Promise<T>): Promise<T> {
  const bridge = await connectNodeBridge(served.url.replace('http://', 'ws://').replace('/?token=', '/ws?token='));
  try {
    return await fn(createApiClient(bridge));
  } finally {
    bridge.close();
  }
}

const viewNow = async (): Promise<View> => JSON.parse((await page.locator('[data-testid=scatter]').getAttribute('data-view-now'))!) as View;
const toScreen = (v: View, x: number, y: number) => ({ x: v.width / 2 + (x - v.target[0]) * 2 ** v.zoom, y: v.height / 2 - (y - v.target[1]) * 2 ** v.zoom });

describe('views: scatter picking, mounted Explore, layout, Add data messages', () => {
  beforeAll(async () => {
    await ensureFreshRenderer();
    fixture = demoWorkspaceCopy();
    served = await serve([fixture.ws, '--no-samp'], { LATENT_SKY_HOME: fixture.home, HOME: fixture.home, SAMP_HUB: '' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(served.url);
    await page.locator('.toolbar .ws').filter({ hasText: objects }).waitFor({ timeout: 60_000 });
    await page.locator('button[data-tab=explore]').click();
    await page.locator('[data-testid=scatter][data-view-now^="{"]').waitFor();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    fixture?.cleanup();
  });

  it('a long press a few pixels off an isolated point opens it in the inspector (CPU pick, no tap timeout)', async () => {
    const method = (await page.locator('select[aria-label=projection]').inputValue()) as 'pca' | 'umap';
    const { xy } = await engine((api) => api.embeddings.projection({ method }));
    const v = await viewNow();
    const pts = Array.from({ length: xy.length / 2 }, (_, i) => toScreen(v, xy[2 * i], xy[2 * i + 1]));
    // an isolated point well inside the canvas: nothing else within 12 px
    const k = pts.findIndex((p, i) => p.x > 40 && p.x < v.width - 180 && p.y > 40 && p.y < v.height - 40
      && pts.every((q, j) => j === i || Math.hypot(q.x - p.x, q.y - p.y) > 12));
    expect(k).toBeGreaterThanOrEqual(0);
    const box = (await page.locator('[data-testid=scatter] .deck-host').boundingBox())!;
    await page.mouse.move(box.x + pts[k].x + 3, box.y + pts[k].y - 2);
    await page.mouse.down();
    await page.waitForTimeout(450);
    await page.mouse.up();
    await page.locator('[data-testid=inspector] h3', { hasText: `#${k} ` }).waitFor({ timeout: 5000 });
  });

  it('the scatter refits when the window is resized, then keeps the view through tab switches (same canvas, same zoom)', async () => {
    const method = (await page.locator('select[aria-label=projection]').inputValue()) as 'pca' | 'umap';
    const { xy } = await engine((api) => api.embeddings.projection({ method }));
    const before = await viewNow();
    await page.setViewportSize({ width: 1280, height: 800 });
    await expect.poll(async () => (await viewNow()).width, { timeout: 10_000 }).not.toBe(before.width);
    const after = await viewNow();
    for (let i = 0; i < xy.length / 2; i++) {
      const p = toScreen(after, xy[2 * i], xy[2 * i + 1]);
      expect(p.x >= 0 && p.x <= after.width && p.y >= 0 && p.y <= after.height).toBe(true);
    }
    const canvas = page.locator('[data-testid=scatter] .deck-host canvas');
    await canvas.evaluate((c) => ((c as unknown as { mark?: number }).mark = 42));
    const box = (await page.locator('[data-testid=scatter] .deck-host').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -400);
    await expect.poll(async () => (await viewNow()).zoom, { timeout: 10_000 }).toBeGreaterThan(after.zoom + 0.2);
    await page.waitForTimeout(400);
    const zoomed = await viewNow();
    await page.locator('button[data-tab=search]').click();
    await page.locator('[data-testid=search-panel]').waitFor();
    await page.locator('button[data-tab=vetting]').click();
    await page.locator('[data-testid=vetting]').waitFor();
    await page.locator('button[data-tab=explore]').click();
    await expect(canvas.evaluate((c) => (c as unknown as { mark?: number }).mark)).resolves.toBe(42);
    const back = await viewNow();
    expect(back.zoom).toBeCloseTo(zoomed.zoom, 6);
    expect(back.target[0]).toBeCloseTo(zoomed.target[0], 6);
    expect(back.target[1]).toBeCloseTo(zoomed.target[1], 6);
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('the toolbar and view headers fit on one line at 1440 and 1280 px; finished job bars go away by themselves', async () => {
    for (const [width, height] of [[1440, 900], [1280, 800]]) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(300);
      const tb = await page.locator('.toolbar').evaluate((el) => ({ sw: el.scrollWidth, cw: el.clientWidth, h: el.getBoundingClientRect().height }));
      expect(tb.sw, `toolbar overflows at ${width}px`).toBeLessThanOrEqual(tb.cw + 1);
      expect(tb.h, `toolbar wraps at ${width}px`).toBeLessThan(48);
      const tall = await page.locator('.toolbar button, .toolbar select, .view-head button, .view-head label').evaluateAll((els) => els.filter((e) => e.getBoundingClientRect().height > 34).map((e) => e.textContent));
      expect(tall, `wrapped controls at ${width}px`).toEqual([]);
      // nothing in the toolbar is covered by a neighbour (the workspace switcher stays clickable)
      await page.locator('[data-testid=ws-switcher]').click({ trial: true, timeout: 2000 });
      await page.screenshot({ path: `test-results/screenshots/explore-${width}.png` });
    }
    // the index job that ran when the workspace opened is done: its bar does not stay
    await expect.poll(() => page.locator('.job[data-state=done]').count(), { timeout: 15_000 }).toBe(0);
  });

  it('Add data: the Legacy Survey defaults are valid, and an unreachable service fails at once with one UNAVAILABLE line and no job', async () => {
    const cat = join(fixture.home, 'targets.csv');
    writeFileSync(cat, 'ra,dec\n150.1,2.2\n150.2,2.3\n');
    await page.locator('[data-testid=add-data]').click();
    await page.locator('[data-testid=ingest-path]').fill(cat);
    await expect(page.locator('[data-testid=ingest-dialog] input:invalid').count()).resolves.toBe(0);
    await expect(page.locator('[data-testid=ingest-dialog] form').evaluate((f) => (f as unknown as { checkValidity(): boolean }).checkValidity())).resolves.toBe(true);
    for (const url of ['http://127.0.0.1:9/viewer', 'http://cutouts.invalid/viewer']) {
      await page.locator('[data-testid=ingest-base-url]').fill(url);
      await page.locator('[data-testid=ingest-start]').click();
      const banner = page.locator('.banner[data-code=UNAVAILABLE]');
      await banner.waitFor({ timeout: 6000 });
      await expect(banner.textContent()).resolves.toMatch(/Legacy Survey cutout service .* cannot be reached/);
      await banner.locator('button').click();
    }
    await expect(page.locator('.job[data-kind=ingest]').count()).resolves.toBe(0);
  });

  it('Add data: a folder of PNGs whose catalogue was not chosen says so, without "unknown format", CLI flags or [object Object]', async () => {
    const dir = join(fixture.home, 'pngs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'catalogue.csv'), 'id,ra,dec\nimg0,150.1,2.2\nimg1,150.2,2.3\n');
    for (const n of ['img0', 'img1']) {
      const png = new PNG({ width: 16, height: 16 });
      png.data.fill(120);
      writeFileSync(join(dir, `${n}.png`), PNG.sync.write(png));
    }
    await page.locator('[data-testid=ingest-source-folder]').check();
    await page.locator('[data-testid=ingest-path]').fill(dir);
    await page.locator('[data-testid=ingest-start]').click();
    await page.locator('.job[data-kind=ingest][data-state=failed]').waitFor({ timeout: 20_000 });
    const banner = page.locator('.banner[data-code=BAD_INPUT]');
    await banner.waitFor();
    const texts = [await banner.textContent(), await page.locator('.job[data-kind=ingest]').textContent(), await page.locator('[data-testid=ingest-dialog]').textContent()].join('\n');
    expect(texts).toMatch(/catalogue/);
    expect(texts).not.toMatch(/unknown format/);
    expect(texts).not.toMatch(/--[a-z]/);
    expect(texts).not.toMatch(/\[object Object\]/);
    expect(pageErrors).toEqual([]);
  });
});
