/**
 * The app end to end: `latent-sky serve --demo` (a child process) on a small
 * synthetic survey, Debian Chromium on software GL. Checks what the user sees
 * in PIXELS (points in the sky map and the scatter, the cutout, the overlay)
 * and that labels, retraining and vetting grades round-trip through the
 * engine and the workspace (vetting survives a reload).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '@app/contracts';
import { connectNodeBridge } from '../contracts/ws-client';
import { ensureFreshRenderer, ensureScreenshotDir, findPoint, launchChromium, pixelDifference, pixelStats, root, serve, type Served } from './harness';

const COUNT = 240;
let home: string;
let served: Served;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

async function rankedIdx(): Promise<number[]> {
  // the unlabelled candidates (labelled objects stay in the list, marked)
  return page.locator('[data-testid=ranked] li[data-label=none]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-idx'))));
}

describe('Latent Sky in Chromium against the dev host', () => {
  beforeAll(async () => {
    ensureScreenshotDir();
    await ensureFreshRenderer();
    home = mkdtempSync(join(tmpdir(), 'ls-e2e-'));
    // HOME too: the SAMP hub lockfile is looked up there (none: the app must work without a hub)
    // the model fixtures are a folder the person running the test chose (security/path-guard.ts)
    served = await serve(['--demo', '--count', String(COUNT)], {
      LATENT_SKY_HOME: home,
      HOME: home,
      SAMP_HUB: '',
      LATENT_SKY_ALLOW_PATHS: join(root, 'tests', 'fixtures', 'models'),
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(served.url);
  }, 200_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('builds the demo workspace and shows its points in the sky map and the scatter', async () => {
    await page
      .locator('.toolbar .ws')
      .filter({ hasText: `${COUNT} objects` })
      .waitFor({ timeout: 150_000 });
    await page.locator('[data-testid=scatter] canvas').waitFor();
    await page.locator('.job[data-kind=demo][data-state=done]').waitFor({ timeout: 150_000 });
    await page.waitForTimeout(1500);
    const sky = await pixelStats(page.locator('[data-testid=sky]'), 'sky-globe.png');
    const scatter = await pixelStats(page.locator('[data-testid=scatter]'), 'scatter.png');
    expect(sky.saturated).toBeGreaterThan(200);
    expect(scatter.saturated).toBeGreaterThan(200);
    await page.locator('select[aria-label="sky projection"]').selectOption('aitoff');
    await page.waitForTimeout(800);
    const flat = await pixelStats(page.locator('[data-testid=sky]'), 'sky-allsky.png');
    expect(flat.saturated).toBeGreaterThan(200);
    expect(pageErrors).toEqual([]);
  });

  it('colours by a numeric column with a legend ramp', async () => {
    await page.locator('[data-testid=colour-by]').selectOption('col:mag_r');
    await page.locator('[data-testid=legend] .ramp').waitFor();
    await expect(page.locator('[data-testid=legend] .legend-title').textContent()).resolves.toBe('mag_r');
    await page.locator('[data-testid=colour-by]').selectOption('truth');
  });

  it('inspects a point clicked in the sky map, then one clicked in the scatter (hover shows a thumbnail)', async () => {
    const sky = page.locator('[data-testid=sky]');
    const s = findPoint(await pixelStats(sky));
    expect(s).not.toBeNull();
    await sky.click({ position: s! });
    await page.locator('[data-testid=inspector] h3').waitFor();
    const fromSky = await page.locator('[data-testid=inspector] h3').textContent();
    const scatter = page.locator('[data-testid=scatter]');
    const p = findPoint(await pixelStats(scatter));
    expect(p).not.toBeNull();
    await scatter.hover({ position: p! });
    await page.locator('.hover-thumb canvas').waitFor();
    await scatter.click({ position: p! });
    await page
      .locator('[data-testid=inspector] h3')
      .filter({ hasNotText: fromSky ?? '' })
      .waitFor();
    await page.locator('[data-testid=inspector] h3').waitFor();
    await page.locator('[data-testid=neighbours] .card').first().waitFor();
    await page.waitForTimeout(300);
    const cut = await pixelStats(page.locator('[data-testid=cutout]'), 'cutout.png');
    expect(cut.distinct).toBeGreaterThan(50);
    await expect(page.locator('[data-testid=neighbours] .card').count()).resolves.toBe(12);
    await expect(page.locator('.fields th', { hasText: 'mag_r' }).count()).resolves.toBe(1);
  });

  it('the patch-feature overlay changes the cutout pixels (or is disabled without patch tokens)', async () => {
    const toggle = page.locator('[data-testid=overlay-toggle]');
    const info = (await page.locator('.toolbar .ws').textContent()) ?? '';
    if (info.includes('pixel-pca')) {
      // the baseline embedding has no patch tokens: the control must say so by being disabled
      await expect(toggle.isDisabled()).resolves.toBe(true);
      return;
    }
    const before = await pixelStats(page.locator('[data-testid=cutout]'));
    await toggle.check();
    await page.locator('[data-testid=overlay]').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(300);
    const after = await pixelStats(page.locator('[data-testid=cutout]'), 'overlay.png');
    expect(pixelDifference(before.png, after.png)).toBeGreaterThan(0.2);
    await toggle.uncheck();
  });

  it('lasso-selects: the count equals a point-in-polygon count over the projection from the API', async () => {
    const scatter = page.locator('[data-testid=scatter]');
    await page.locator('.view-head label', { hasText: 'lasso' }).locator('input').check();
    const host = (await scatter.locator('.deck-host').boundingBox())!;
    const drawn = [
      [0.15, 0.15],
      [0.85, 0.2],
      [0.55, 0.5],
      [0.9, 0.85],
      [0.2, 0.8],
    ].map(([fx, fy]) => [fx * host.width, fy * host.height]);
    await page.mouse.move(host.x + drawn[0][0], host.y + drawn[0][1]);
    await page.mouse.down();
    for (const [x, y] of drawn.slice(1)) await page.mouse.move(host.x + x, host.y + y, { steps: 3 });
    await page.locator('[data-testid=lasso] path').waitFor();
    await page.screenshot({ path: 'test-results/screenshots/lasso.png' });
    await page.mouse.up();
    await page.locator('[data-testid=selection-count]').waitFor();
    const shown = Number(/(\d+) selected/.exec((await page.locator('[data-testid=selection-count]').textContent())!)![1]);
    // the polygon the app recorded is the one drawn (to within a pixel), the view transform maps it to data
    const poly = JSON.parse((await scatter.getAttribute('data-lasso'))!) as number[];
    const view = JSON.parse((await scatter.getAttribute('data-view'))!) as { target: number[]; zoom: number; width: number; height: number };
    for (const [x, y] of drawn)
      expect(Array.from({ length: poly.length / 2 }, (_, j) => Math.hypot(poly[2 * j] - x, poly[2 * j + 1] - y)).some((d) => d < 1.5)).toBe(true);
    const s = 2 ** view.zoom;
    const dataPoly = poly.map((v, i) => (i % 2 ? view.target[1] - (v - view.height / 2) / s : view.target[0] + (v - view.width / 2) / s));
    const method = (await page.locator('select[aria-label=projection]').inputValue()) as 'pca' | 'umap';
    const bridge = await connectNodeBridge(served.url.replace('http://', 'ws://').replace('/?token=', '/ws?token='));
    const { xy } = await createApiClient(bridge).embeddings.projection({ method });
    bridge.close();
    let expected = 0;
    for (let i = 0; i < xy.length / 2; i++) {
      let inside = false;
      for (let j = 0, k = dataPoly.length / 2 - 1; j < dataPoly.length / 2; k = j++) {
        const [xj, yj, xk, yk] = [dataPoly[2 * j], dataPoly[2 * j + 1], dataPoly[2 * k], dataPoly[2 * k + 1]];
        if (yj > xy[2 * i + 1] !== yk > xy[2 * i + 1] && xy[2 * i] < ((xk - xj) * (xy[2 * i + 1] - yj)) / (yk - yj) + xj) inside = !inside;
      }
      if (inside) expected++;
    }
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(COUNT);
    expect(shown).toBe(expected);
    // no SAMP hub here: the indicator says so and the SAMP actions are disabled, nothing else is affected
    await expect(page.locator('[data-testid=samp]').getAttribute('data-state')).resolves.toBe('no-hub');
    await expect(page.locator('[data-testid=samp-point]').isDisabled()).resolves.toBe(true);
    await expect(page.locator('[data-testid=nn-method]').textContent()).resolves.toBe('HNSW');
  });

  it('adds a model folder from the toolbar: a mismatched one shows a MODEL_MISMATCH banner, a valid one joins the picker', async () => {
    const fixtures = join(root, 'tests', 'fixtures', 'models');
    await page.locator('[data-testid=add-model-toggle]').click();
    await page.locator('[data-testid=add-model-path]').fill(join(fixtures, 'tiny-mismatch'));
    await page.locator('[data-testid=add-model-path]').press('Enter');
    const banner = page.locator('.banner[data-code=MODEL_MISMATCH]');
    await banner.waitFor();
    await expect(banner.textContent()).resolves.toContain('tiny-mismatch');
    await banner.locator('button').click();
    await page.locator('[data-testid=add-model-path]').fill(join(fixtures, 'tiny'));
    await page.locator('[data-testid=add-model-path]').press('Enter');
    await page.locator('select[aria-label="encoder model"] option[value="tiny-test@0.0.1"]').waitFor({ state: 'attached' });
    await expect(page.locator('select[aria-label="encoder model"]').inputValue()).resolves.toBe('tiny-test@0.0.1');
    await page.locator('select[aria-label="encoder model"]').selectOption('');
  });

  it('box-selects, labels 5 objects with the keyboard, retrains, and the ranked list changes after more labels', async () => {
    await page.locator('button[data-tab=explore]').click();
    await page.locator('.view-head label', { hasText: 'box select' }).locator('input').check();
    const box = (await page.locator('[data-testid=scatter]').boundingBox())!;
    await page.mouse.move(box.x + 4, box.y + 4);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    await page.mouse.move(box.x + box.width - 4, box.y + box.height - 4, { steps: 4 });
    await page.mouse.up();
    await page.locator('[data-testid=selection-count]', { hasText: `${COUNT} selected` }).waitFor();
    await page.screenshot({ path: 'test-results/screenshots/explore.png' });

    await page.locator('button[data-tab=search]').click();
    await page.locator('[data-testid=new-search]').fill('tidal');
    await page.locator('[data-testid=new-search]').press('Enter');
    await page.locator('select[aria-label=search] option[value=tidal]').waitFor({ state: 'attached' });
    await page.locator('[data-testid=label-gallery] .card').first().click();
    for (const k of ['y', 'y', 'y', 'n', 'n']) await page.keyboard.press(k);
    await page.locator('.counts', { hasText: '3 pos · 2 neg · 0 unsure' }).waitFor();
    await expect(page.locator('[data-testid=label-gallery] .card[data-label=positive]').count()).resolves.toBe(3);
    await page.locator('[data-testid=retrain]').click();
    await page.locator('[data-testid=ranked] li').first().waitFor();
    const first = await rankedIdx();
    expect(first.length).toBeGreaterThanOrEqual(30);
    // the inspector's label buttons: the top candidate is 'unsure'
    await page.locator('[data-testid=ranked] li[data-label=none] button').first().click();
    await page.locator('.labels button[data-label=unsure]').click();
    await page.locator('.counts', { hasText: '3 pos · 2 neg · 1 unsure' }).waitFor();
    await page.screenshot({ path: 'test-results/screenshots/search.png' });
    // keyboard labelling of the suggestion gallery (from its 2nd card: the 1st is the top candidate
    // just marked unsure, as suggestions lead with the top of the ranking), then a second round
    await page.locator('[data-testid=label-gallery] .card').nth(1).click();
    for (const k of ['y', 'n', 'y']) await page.keyboard.press(k);
    await page.locator('.counts', { hasText: '5 pos · 3 neg · 1 unsure' }).waitFor();
    await page.locator('[data-testid=retrain]').click();
    await page.locator('[data-testid=rounds] tbody tr').nth(1).waitFor();
    const second = await rankedIdx();
    expect(second).not.toEqual(first);
    expect(second).not.toContain(first[0]);
    const hist = await pixelStats(page.locator('[data-testid=histogram]'));
    expect(hist.distinct).toBeGreaterThan(2);
  });

  it('grades candidates with the keyboard and the grades persist across a reload', async () => {
    await page.locator('button[data-tab=vetting]').click();
    await page.locator('[data-testid=new-vetting]').fill('tidal-check');
    await page.locator('[data-testid=new-vetting]').press('Enter');
    await page.locator('.vet-card').first().waitFor();
    await page.locator('.vet-card').first().click();
    // s, t: features of candidate 0; then 2, 1, 0 grade candidates 0, 1, 2 (each grade moves on)
    for (const k of ['s', 't', '2', '1', '0']) await page.keyboard.press(k);
    await page.locator('.vet-card[data-pos="2"][data-grade="0"]').waitFor();
    await page.locator('.vet-card[data-pos="2"]').click();
    await page.locator('[data-testid=vet-note]').fill('faint shell to the NE');
    await page.locator('[data-testid=vet-note]').blur();
    await page.waitForTimeout(300);
    await page.screenshot({ path: 'test-results/screenshots/vetting.png' });
    await page.reload();
    await page.locator('button[data-tab=vetting]').click();
    await page.locator('.vet-card').first().waitFor();
    const grades = await page.locator('.vet-card').evaluateAll((els) => els.slice(0, 4).map((e) => e.getAttribute('data-grade')));
    expect(grades).toEqual(['2', '1', '0', '-1']);
    await expect(page.locator('.vet-card[data-pos="0"] .tag').allTextContents()).resolves.toEqual(['shell', 'stream']);
    // resumes at the first ungraded candidate
    await expect(page.locator('.vet-card.focus').getAttribute('data-pos')).resolves.toBe('3');
    await page.locator('.vet-card[data-pos="2"]').click();
    await expect(page.locator('[data-testid=vet-note]').inputValue()).resolves.toBe('faint shell to the NE');
    expect(pageErrors).toEqual([]);
  });
});
