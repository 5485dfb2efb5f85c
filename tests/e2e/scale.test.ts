/**
 * The app at survey scale, in Debian Chromium on software GL through the dev
 * host: a 200,000-object workspace without pixels, made from a generated
 * clustered 128-d `.npy` and a CSV by the CLI's `ingest --from embeddings`,
 * is opened (the engine builds its HNSW index in a worker thread meanwhile); PCA is computed from the app (a worker job) while the UI keeps
 * answering; the scatter and the sky map draw it (level of detail: at most
 * the renderer's point budget per frame, gfx/point-budget.ts); a similarity
 * search (the inspector's nearest neighbours) answers; screenshots go to
 * test-results/screenshots/scale-*.png. Main-thread long tasks are logged.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { ensureFreshRenderer, ensureScreenshotDir, freePort, launchChromium, pixelStats, root, screenshotDir, serve, type Served } from './harness';
import { writeScaleInputs } from './scale-inputs';

const N = 200_000;
let dir: string;
let served: Served;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const t0 = performance.now();
const secs = () => ((performance.now() - t0) / 1000).toFixed(1);
const log = (what: string) => console.log(`[scale e2e ${secs()} s] ${what}`);

/** pixels of the unlabelled points' colour (90, 96, 120), which neither the background nor the graticule has */
function pointPixels(png: PNG): number {
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const r = png.data[i],
      g = png.data[i + 1],
      b = png.data[i + 2];
    if (Math.abs(r - 90) < 25 && Math.abs(g - 96) < 25 && Math.abs(b - 120) < 25) n++;
  }
  return n;
}

describe(`the app at ${N.toLocaleString('en-US')} objects without pixels`, () => {
  beforeAll(async () => {
    ensureScreenshotDir();
    const built = ensureFreshRenderer();
    dir = mkdtempSync(join(tmpdir(), 'ls-e2e-scale-'));
    const { npy, csv } = writeScaleInputs(dir, N);
    log('inputs written');
    const ws = join(dir, 'ws');
    const cli = (args: string[]) => {
      const r = spawnSync(process.execPath, [join(root, 'main', 'cli', 'bin.mjs'), ...args], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Record<string, unknown>;
    };
    expect(cli(['ingest', ws, '--from', 'embeddings', '--vectors', npy, '--catalog', csv, '--model-name', 'scale-128', '--json'])).toMatchObject({
      added: N,
      skipped: [],
    });
    log('ingest --from embeddings done');
    await built;
    const home = join(dir, 'home');
    mkdirSync(home);
    // offline: the cutout service's URL is a loopback port nothing listens on
    served = await serve([ws, '--no-samp'], {
      LATENT_SKY_HOME: home,
      HOME: home,
      SAMP_HUB: '',
      LATENT_SKY_CUTOUT_URL: `http://127.0.0.1:${await freePort()}/viewer`,
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.addInitScript(() => {
      const w = globalThis as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((l) => {
        for (const e of l.getEntries()) w.longTasks.push(e.duration);
      }).observe({ type: 'longtask' as never, buffered: true });
    });
    await page.goto(served.url, { timeout: 60_000 });
    await page
      .locator('.toolbar .ws')
      .filter({ hasText: `${N.toLocaleString('en-US')} objects` })
      .waitFor({ timeout: 60_000 });
    log('workspace open in the app');
  }, 240_000);

  afterAll(async () => {
    const lt = page ? await page.evaluate(() => (globalThis as unknown as { longTasks: number[] }).longTasks).catch(() => []) : [];
    if (lt.length) log(`main-thread long tasks: ${lt.length}, longest ${Math.max(...lt).toFixed(0)} ms, total ${lt.reduce((a, b) => a + b, 0).toFixed(0)} ms`);
    await browser?.close();
    await served?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('computes PCA from the app with the UI answering, and draws the scatter within its point budget', async () => {
    await page.locator('button[data-tab=explore]').click();
    await page.locator('select[aria-label=projection]').selectOption('pca');
    await page.locator('.view-head button', { hasText: 'Compute' }).click();
    // while the worker computes, the app still switches tabs and back
    await page.locator('button[data-tab=search]').click();
    await page.locator('[data-testid=search-panel]').waitFor({ timeout: 10_000 });
    await page.locator('button[data-tab=explore]').click();
    const scatter = page.locator('[data-testid=scatter]');
    await page.locator('[data-testid=scatter][data-drawn]').waitFor({ timeout: 90_000 });
    log('PCA shown');
    const drawn = Number(await scatter.getAttribute('data-drawn'));
    const budget = Number(await scatter.getAttribute('data-budget'));
    expect(await scatter.getAttribute('data-points')).toBe(String(N));
    // software GL draws at most the budget; the rest are thinned uniformly (density kept)
    expect(budget).toBeLessThan(N);
    expect(drawn).toBeLessThanOrEqual(budget);
    expect(drawn).toBeGreaterThan(budget * 0.5);
    await page.waitForTimeout(500);
    const shot = await pixelStats(page.locator('[data-testid=scatter] .deck-host'), 'scale-scatter.png');
    expect(pointPixels(shot.png)).toBeGreaterThan(20_000);
  }, 150_000);

  it('zoomed in, the scatter draws every point in view (level of detail by viewport)', async () => {
    const scatter = page.locator('[data-testid=scatter]');
    const box = (await page.locator('[data-testid=scatter] .deck-host').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -500);
    await expect
      .poll(async () => Number(await scatter.getAttribute('data-in-view')), { timeout: 30_000 })
      .toBeLessThan(Number(await scatter.getAttribute('data-budget')));
    await expect.poll(async () => (await scatter.getAttribute('data-drawn')) === (await scatter.getAttribute('data-in-view')), { timeout: 30_000 }).toBe(true);
    await pixelStats(page.locator('[data-testid=scatter] .deck-host'), 'scale-scatter-zoomed.png');
  }, 60_000);

  it('draws the sky map', async () => {
    const sky = page.locator('[data-testid=sky]');
    await page.locator('[data-testid=sky][data-drawn]').waitFor({ timeout: 30_000 });
    expect(Number(await sky.getAttribute('data-drawn'))).toBeLessThanOrEqual(Number(await sky.getAttribute('data-budget')));
    const shot = await pixelStats(sky, 'scale-sky.png');
    expect(pointPixels(shot.png)).toBeGreaterThan(5000);
  }, 60_000);

  it('runs a similarity search on an object (its nearest neighbours) and says the inspector has no pixels offline', async () => {
    await page.locator('[data-testid=goto-input]').fill('#12345');
    await page.locator('[data-testid=goto-input]').press('Enter');
    await page.locator('[data-testid=inspector] h3', { hasText: '#12345 LS12345' }).waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator('[data-testid=neighbours] .card').count(), { timeout: 30_000 }).toBe(12);
    await expect(page.locator('[data-testid=nn-method]').textContent()).resolves.toMatch(/^(exact|HNSW)$/);
    await page.locator('[data-testid=no-pixels]', { hasText: /^no pixels offline: .*cannot be reached/ }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(screenshotDir, 'scale-app.png') });
    log('similarity search answered');
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
