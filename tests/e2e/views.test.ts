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
import { type CutoutData, type LatentSkyApi } from '@app/contracts';
import { renderCutout } from '@app/image';
import { displaySpec, FIXED_STRETCH, STRETCH_PRESETS, type StretchSettings } from '@renderer/src/gfx/stretch-spec';
import { DEMO_COUNT, demoWorkspaceCopy } from './demo-fixture';
import {
  ensureFreshRenderer,
  launchChromium,
  pixelStats,
  serve,
  type Served,
  withEngine,
  engineUrl,
  scatterViewNow,
  toScreen,
  type ScatterView,
} from './harness';
import { formatRaDec } from '@renderer/src/features/goto/resolve';

let fixture: ReturnType<typeof demoWorkspaceCopy>;
let served: Served;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const objects = `${DEMO_COUNT.toLocaleString('en-US')} objects`;

type View = ScatterView;

const engine = <T>(fn: (api: LatentSkyApi) => Promise<T>): Promise<T> => withEngine(engineUrl(served.url), fn);

/** the RGBA bytes drawn on the first canvas matching `sel`, and the object it shows */
async function drawn(sel: string): Promise<{ idx: number; data: number[] }> {
  return page
    .locator(sel)
    .first()
    .evaluate((el) => {
      const c = el as unknown as {
        width: number;
        height: number;
        dataset: Record<string, string>;
        getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
      };
      return { idx: Number(c.dataset.idx), data: c.width > 1 ? Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data) : [] };
    });
}
const cutouts = new Map<number, CutoutData>();
async function expected(idx: number, s: StretchSettings): Promise<number[]> {
  if (!cutouts.has(idx)) cutouts.set(idx, await engine((api) => api.cutouts.get({ idx })));
  const c = cutouts.get(idx)!;
  return Array.from(renderCutout(c, displaySpec(c, s)));
}
/** the canvas shows exactly this stretch's rendering of its object (to within 1 level: canvas round trip) */
async function shows(sel: string, s: StretchSettings): Promise<boolean> {
  const d = await drawn(sel);
  if (!d.data.length) return false;
  const e = await expected(d.idx, s);
  return e.length === d.data.length && e.every((v, i) => Math.abs(v - d.data[i]) <= 1);
}

const viewNow = () => scatterViewNow(page);

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
    const k = pts.findIndex(
      (p, i) => p.x > 40 && p.x < v.width - 180 && p.y > 40 && p.y < v.height - 40 && pts.every((q, j) => j === i || Math.hypot(q.x - p.x, q.y - p.y) > 12),
    );
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
    // no list yet: the view says what to do instead of staying blank
    await expect(page.locator('[data-testid=vetting-empty]').innerText()).resolves.toMatch(/From search/);
    await page.locator('button[data-tab=explore]').click();
    await expect(canvas.evaluate((c) => (c as unknown as { mark?: number }).mark)).resolves.toBe(42);
    const back = await viewNow();
    expect(back.zoom).toBeCloseTo(zoomed.zoom, 6);
    expect(back.target[0]).toBeCloseTo(zoomed.target[0], 6);
    expect(back.target[1]).toBeCloseTo(zoomed.target[1], 6);
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('the toolbar and view headers fit on one line at 1440 and 1280 px; finished job bars go away by themselves', async () => {
    for (const [width, height] of [
      [1440, 900],
      [1280, 800],
    ]) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(300);
      const tb = await page.locator('.toolbar').evaluate((el) => ({ sw: el.scrollWidth, cw: el.clientWidth, h: el.getBoundingClientRect().height }));
      expect(tb.sw, `toolbar overflows at ${width}px`).toBeLessThanOrEqual(tb.cw + 1);
      expect(tb.h, `toolbar wraps at ${width}px`).toBeLessThan(48);
      const tall = await page
        .locator('.toolbar button, .toolbar select, .view-head button, .view-head label')
        .evaluateAll((els) => els.filter((e) => e.getBoundingClientRect().height > 34).map((e) => e.textContent));
      expect(tall, `wrapped controls at ${width}px`).toEqual([]);
      // nothing in the toolbar is covered by a neighbour (the workspace switcher stays clickable)
      await page.locator('[data-testid=ws-switcher]').click({ trial: true, timeout: 2000 });
      await page.screenshot({ path: `test-results/screenshots/explore-${width}.png` });
    }
    // the index job that ran when the workspace opened is done: its bar does not stay
    await expect.poll(() => page.locator('.job[data-state=done]').count(), { timeout: 15_000 }).toBe(0);
  });

  it('grids default to the Legacy Survey viewer mapping; the toolbar stretch changes every grid, an override only its own; the vetting enlarged view has its own stretch and an LSB preset', async () => {
    const lupton: StretchSettings = { ...FIXED_STRETCH, mode: 'lupton' };
    const asinh: StretchSettings = { ...lupton, mode: 'asinh' };
    await page.locator('button[data-tab=search]').click();
    const sugg = '[data-testid=label-gallery] canvas.thumb[data-grid=suggestions]',
      ranked = '[data-testid=ranked] canvas.thumb[data-grid=ranked]';
    await page.locator(ranked).first().waitFor();
    await expect.poll(() => shows(sugg, FIXED_STRETCH), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => shows(ranked, FIXED_STRETCH), { timeout: 10_000 }).toBe(true);
    const first = await drawn(sugg);
    expect(first.data).not.toEqual(await expected(first.idx, lupton)); // the mapping matters
    // one global control: every grid follows it
    await page.locator('[data-testid=grid-stretch-toggle]').click();
    await page.locator('[data-testid=grid-stretch] select[aria-label=mapping]').selectOption('lupton');
    await expect.poll(() => shows(sugg, lupton), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => shows(ranked, lupton), { timeout: 10_000 }).toBe(true);
    await page.locator('[data-testid=grid-stretch-toggle]').click();
    // a per-grid override: the ranked list alone
    await page.locator('[data-testid=override-ranked] input[type=checkbox]').check();
    await page.locator('[data-testid=override-ranked-picker] select[aria-label=mapping]').selectOption('asinh');
    await expect.poll(() => shows(ranked, asinh), { timeout: 10_000 }).toBe(true);
    expect(await shows(sugg, lupton)).toBe(true);
    // vetting: the enlarged view follows the grids until given its own stretch (presets)
    await engine((api) => api.vetting.createFromSearch({ name: 'image-check', search: 'demo-ring', top: 10 }));
    await page.reload();
    await page.locator('.toolbar .ws').filter({ hasText: objects }).waitFor();
    await page.locator('button[data-tab=vetting]').click();
    await page.locator('[data-testid=vet-enlarged] canvas').waitFor();
    await expect.poll(() => shows('[data-testid=vet-enlarged] canvas', FIXED_STRETCH), { timeout: 10_000 }).toBe(true);
    await page.locator('[data-testid=vet-enlarged] button[data-preset=lsb]').click();
    await expect.poll(() => shows('[data-testid=vet-enlarged] canvas', STRETCH_PRESETS.lsb), { timeout: 10_000 }).toBe(true);
    await page.locator('[data-testid=vet-enlarged] button[data-preset=lsb].on').waitFor();
    expect(await shows('.vet-card canvas.thumb[data-grid=vetting]', FIXED_STRETCH)).toBe(true);
    await page.locator('.vet-card').first().click();
    await page.screenshot({ path: 'test-results/screenshots/vetting-lsb.png' });
  });

  it('brushing the score histogram selects that score range in every view', async () => {
    await page.locator('button[data-tab=search]').click();
    const hist = page.locator('[data-testid=histogram]');
    await hist.waitFor();
    const b = (await hist.boundingBox())!;
    await page.mouse.move(b.x + b.width * 0.02, b.y + b.height / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width * 0.5, b.y + b.height / 2, { steps: 4 });
    await page.mouse.up();
    const [lo, hi] = (await hist.getAttribute('data-range'))!.split(',').map(Number);
    const search = await page.locator('select[aria-label=search]').inputValue();
    const r = (await engine((api) => api.probe.result({ search })))!;
    const n = Array.from(r.scores).filter((v) => v >= lo && v <= hi).length;
    expect(n).toBeGreaterThan(0);
    await page.locator('[data-testid=score-range]', { hasText: `${n} selected` }).waitFor();
    await page.locator('button[data-tab=explore]').click();
    await page.locator('[data-testid=selection-count]', { hasText: `${n} selected` }).waitFor();
    await page.locator('.selection-chip button.link', { hasText: 'clear' }).click();
  });

  it('go to an index or coordinates (sexagesimal, degrees); the cursor readout at the centre reads the target; the inspector gives coordinates, links, compass and scale', async () => {
    await page.locator('button[data-tab=explore]').click();
    const { ra, dec } = await engine((api) => api.catalog.positions({}));
    const input = page.locator('[data-testid=goto-input]');
    await input.fill('#5');
    await input.press('Enter');
    await page.locator('[data-testid=inspector] h3', { hasText: '#5 ' }).waitFor();
    await input.fill(formatRaDec(ra[7], dec[7]));
    await input.press('Enter');
    await page.locator('[data-testid=inspector] h3', { hasText: '#7 ' }).waitFor();
    await input.fill(`${ra[9].toFixed(5)}, ${dec[9].toFixed(5)}`);
    await input.press('Enter');
    await page.locator('[data-testid=inspector] h3', { hasText: '#9 ' }).waitFor();
    // the sky map is centred on the target: the readout under the cursor at the centre gives its coordinates
    const sky = (await page.locator('[data-testid=sky]').boundingBox())!;
    await page.mouse.move(sky.x + sky.width / 2, sky.y + sky.height / 2);
    const text = (await page.locator('[data-testid=sky-cursor]').textContent())!;
    const [, r, d] = /\(([\d.]+)°, ([+-][\d.]+)°\)/.exec(text)!;
    expect(Math.abs(Number(r) - ra[9])).toBeLessThan(0.02);
    expect(Math.abs(Number(d) - dec[9])).toBeLessThan(0.02);
    await input.fill('NGC 9999');
    await input.press('Enter');
    await page.locator('[data-testid=goto-note]', { hasText: 'not in this workspace nor in the bundled Messier/NGC/IC list' }).waitFor();
    // context around the inspected object
    await expect(page.locator('[data-testid=coords]').textContent()).resolves.toBe(formatRaDec(ra[9], dec[9]));
    for (const name of ['Legacy Survey viewer', 'SIMBAD', 'NED', 'Aladin']) {
      const href = (await page.locator(`[data-testid=object-context] a[data-link="${name}"]`).getAttribute('href'))!;
      expect(href).toContain(ra[9].toFixed(6).slice(0, 7));
    }
    await page.locator('[data-testid=compass]').waitFor();
    await expect(page.locator('[data-testid=scalebar]').textContent()).resolves.toMatch(/^\d+″/);
    await page.locator('.sky-note', { hasText: 'procedural placeholder' }).waitFor();
    await page.screenshot({ path: 'test-results/screenshots/goto.png' });
  });

  it('a user catalogue is drawn on the sky map and cross-matched within the radius; its matches can be selected', async () => {
    await page.locator('button[data-tab=explore]').click();
    const { ra, dec } = await engine((api) => api.catalog.positions({}));
    const picks = [3, 30, 300, 600, 900];
    const rows = ['name,ra,dec', ...picks.map((i) => `obj${i},${ra[i].toFixed(6)},${(dec[i] + 1 / 3600).toFixed(6)}`), 'far1,10.0,-40.0', 'far2,200.0,60.0'];
    const file = join(fixture.home, 'my-targets.csv');
    writeFileSync(file, rows.join('\n') + '\n');
    await page.locator('[data-testid=catalog-file]').setInputFiles(file);
    await page.locator('[data-testid=catalog-matches]', { hasText: '7 rows, 5 matched' }).waitFor();
    await page.locator('[aria-label="cross-match radius in arcsec"]').fill('0.5');
    await page.locator('[data-testid=catalog-matches]', { hasText: '7 rows, 0 matched' }).waitFor();
    await page.locator('[aria-label="cross-match radius in arcsec"]').fill('2');
    await page.locator('[data-testid=catalog-matches]', { hasText: '7 rows, 5 matched' }).waitFor();
    await page.waitForTimeout(500);
    const shot = await pixelStats(page.locator('[data-testid=sky]'));
    let magenta = 0;
    for (let i = 0; i < shot.png.data.length; i += 4) if (shot.png.data[i] > 200 && shot.png.data[i + 1] < 110 && shot.png.data[i + 2] > 180) magenta++;
    expect(magenta).toBeGreaterThan(20);
    await page.locator('[data-testid=catalog-overlay] button', { hasText: 'select matches' }).click();
    await page.locator('[data-testid=selection-count]', { hasText: '5 selected' }).waitFor();
    await page.screenshot({ path: 'test-results/screenshots/catalog-overlay.png' });
    await page.locator('.selection-chip button.link', { hasText: 'clear' }).click();
  });

  it('the patch overlay: the true token grid by default (smooth on request), its explained variance and a labelled opacity', async () => {
    await page.locator('button[data-tab=explore]').click();
    await page.locator('[data-testid=goto-input]').fill('#11');
    await page.locator('[data-testid=goto-input]').press('Enter');
    await page.locator('[data-testid=inspector] h3', { hasText: '#11 ' }).waitFor();
    const toggle = page.locator('[data-testid=overlay-toggle]');
    if (await toggle.isDisabled()) return; // a model without patch tokens (pixel-pca): nothing to show
    await toggle.check();
    await page.locator('[data-testid=overlay]').waitFor({ timeout: 30_000 });
    await expect(page.locator('[data-testid=overlay-explained]').textContent()).resolves.toMatch(/^\d+% \/ \d+% \/ \d+%$/);
    await expect(page.locator('[data-testid=overlay-opacity]').textContent()).resolves.toBe('60%');
    const distinct = () =>
      page.locator('[data-testid=overlay]').evaluate((el) => {
        const c = el as unknown as {
          width: number;
          height: number;
          getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
        };
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data,
          seen = new Set<number>();
        for (let i = 0; i < d.length; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        return seen.size;
      });
    const legend = (await page.locator('[data-testid=overlay-legend]').textContent())!;
    const [, rows, cols] = /(\d+)×(\d+) patch tokens/.exec(legend)!.map(Number);
    expect(await distinct()).toBeLessThanOrEqual(rows * cols);
    await page.locator('[data-testid=overlay-smooth]').check();
    await expect.poll(distinct, { timeout: 5000 }).toBeGreaterThan(rows * cols);
    await page.locator('[data-testid=overlay-smooth]').uncheck();
    await toggle.uncheck();
  });

  it('Add data: the Legacy Survey defaults are valid, and an unreachable service fails at once with one UNAVAILABLE line and no job', async () => {
    const cat = join(fixture.home, 'targets.csv');
    writeFileSync(cat, 'ra,dec\n150.1,2.2\n150.2,2.3\n');
    await page.locator('[data-testid=add-data]').click();
    await page.locator('[data-testid=ingest-path]').fill(cat);
    await expect(page.locator('[data-testid=ingest-dialog] input:invalid').count()).resolves.toBe(0);
    await expect(
      page.locator('[data-testid=ingest-dialog] form').evaluate((f) => (f as unknown as { checkValidity(): boolean }).checkValidity()),
    ).resolves.toBe(true);
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
    const texts = [
      await banner.textContent(),
      await page.locator('.job[data-kind=ingest]').textContent(),
      await page.locator('[data-testid=ingest-dialog]').textContent(),
    ].join('\n');
    expect(texts).toMatch(/catalogue/);
    expect(texts).not.toMatch(/unknown format/);
    expect(texts).not.toMatch(/--[a-z]/);
    expect(texts).not.toMatch(/\[object Object\]/);
    expect(pageErrors).toEqual([]);
  });
});
