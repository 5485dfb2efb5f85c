/**
 * Context around an object, in Chromium on the demo workspace with its
 * simulated searches (through `latent-sky serve`): the go-to box resolves
 * Messier/NGC/IC names and common names offline (the bundled list) and the
 * workspace's own ids; the graticule's spacing follows the zoom (read from the
 * map's data-grid-step, and the pixels change); hovering the inspector's
 * cutout reads the pixel's x, y, band values and RA/Dec (checked against the
 * engine's cutout and an independent TAN computation); a HiPS folder the test
 * writes (order 3 PNG tiles over the demo field) replaces the procedural
 * placeholder, and the map says which background it shows.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LatentSkyApi } from '@app/contracts';
import { neighbours, radec2pix } from '@app/sky/healpix';
import { tilePath, writeHipsProperties } from '@app/sky/hips';
import { DEMO_COUNT, demoWorkspaceCopy } from './demo-fixture';
import { ensureFreshRenderer, launchChromium, pixelDifference, serve, type Served, withEngine, engineUrl } from './harness';

let fixture: ReturnType<typeof demoWorkspaceCopy>;
let served: Served;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const engine = <T>(fn: (api: LatentSkyApi) => Promise<T>): Promise<T> => withEngine(engineUrl(served.url), fn);

const sky = () => page.locator('[data-testid=sky]');
const centre = async () => (await sky().getAttribute('data-centre'))!.split(',').map(Number);
/** waits until the map is centred within `tol` degrees of (ra, dec) */
const centredOn = (ra: number, dec: number, tol = 0.01) =>
  expect
    .poll(
      async () => {
        const [r, d] = await centre();
        return Math.max(Math.abs(r - ra), Math.abs(d - dec));
      },
      { timeout: 5000 },
    )
    .toBeLessThan(tol);
const gridStep = async () => Number(await sky().getAttribute('data-grid-step'));
async function goTo(text: string): Promise<string> {
  const input = page.locator('[data-testid=goto-input]');
  const done = Number(await page.locator('[data-testid=goto]').getAttribute('data-done'));
  await input.fill(text);
  await input.press('Enter');
  await page.locator(`[data-testid=goto][data-done="${done + 1}"]`).waitFor({ timeout: 10_000 });
  return (await page.locator('[data-testid=goto-note]').textContent())!;
}
async function goToIndex(idx: number): Promise<void> {
  const input = page.locator('[data-testid=goto-input]');
  await input.fill(`#${idx}`);
  await input.press('Enter');
  await page.locator('[data-testid=inspector] h3', { hasText: `#${idx} ` }).waitFor();
}
/** pixels of the sky map that are the test HiPS's red or green (dimmed as the map dims backgrounds) */
async function redShare(): Promise<{ share: number; png: PNG }> {
  const png = PNG.sync.read(await sky().screenshot());
  let red = 0;
  for (let i = 0; i < png.data.length; i += 4)
    if (Math.max(png.data[i], png.data[i + 1]) > 100 && Math.min(png.data[i], png.data[i + 1]) < 60 && png.data[i + 2] < 60) red++;
  return { share: red / (png.width * png.height), png };
}

describe('context: names, adaptive graticule, pixel readout, HiPS background', () => {
  beforeAll(async () => {
    await ensureFreshRenderer();
    fixture = demoWorkspaceCopy();
    served = await serve([fixture.ws, '--no-samp'], { LATENT_SKY_HOME: fixture.home, HOME: fixture.home, SAMP_HUB: '' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(served.url);
    await page
      .locator('.toolbar .ws')
      .filter({ hasText: `${DEMO_COUNT.toLocaleString('en-US')} objects` })
      .waitFor({ timeout: 60_000 });
    await page.locator('button[data-tab=explore]').click();
    await sky().locator('canvas').waitFor();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    fixture?.cleanup();
  });

  it('goes to Messier, NGC and IC names and common names offline, and to the workspace’s own ids', async () => {
    expect(await goTo('M31')).toMatch(/^M 31 \(galaxy\), from the bundled NGC\/IC\/Messier list; nearest object #\d+ is [\d.]+° away/);
    await centredOn(10.6847, 41.2687);
    expect(await goTo('ngc224')).toMatch(/^M 31/);
    expect(await goTo('Crab Nebula')).toMatch(/^M 1 \(supernova remnant\)/);
    await centredOn(83.6331, 22.0145);
    expect(await goTo('IC 342')).toMatch(/^IC 342 \(galaxy\)/);
    const o = await engine((api) => api.catalog.object({ idx: 12 }));
    expect(await goTo(o.id)).toBe(`${o.id}: #12 (this workspace)`);
    await page.locator('[data-testid=inspector] h3', { hasText: '#12 ' }).waitFor();
    await centredOn(o.ra, o.dec, 1e-3);
    // where names come from, and the bundled list's source and licence
    await page.locator('[data-testid=goto] button', { hasText: 'names?' }).click();
    await expect(page.locator('[data-testid=goto-about]').textContent()).resolves.toMatch(
      /Stellarium 0\.22\.2[\s\S]*GNU GPL version 2\s+or later[\s\S]*CDS Sesame/,
    );
    await page.locator('[data-testid=goto-about] button', { hasText: 'close' }).click();
  });

  it('spaces the graticule by the field of view: zooming in makes it finer, with labels, and changes the picture', async () => {
    await goToIndex(5);
    await page.waitForTimeout(300);
    const wideStep = await gridStep();
    const wideFov = Number(await sky().getAttribute('data-fov'));
    const before = PNG.sync.read(await sky().screenshot({ path: 'test-results/screenshots/graticule-wide.png' }));
    const labelsWide = await sky().locator('.sky-labels span:visible').allTextContents();
    const box = (await sky().boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let k = 0; k < 8; k++) await page.mouse.wheel(0, -400);
    await expect.poll(async () => Number(await sky().getAttribute('data-fov')), { timeout: 5000 }).toBeLessThan(wideFov / 8);
    await page.waitForTimeout(300);
    const fineStep = await gridStep();
    const after = PNG.sync.read(await sky().screenshot({ path: 'test-results/screenshots/graticule-fine.png' }));
    const labelsFine = await sky().locator('.sky-labels span:visible').allTextContents();
    expect(fineStep).toBeLessThan(wideStep);
    expect(wideStep).toBeLessThanOrEqual(300); // ≤ 5° at the go-to zoom
    expect(fineStep).toBeLessThanOrEqual(30); // ≤ 30′ zoomed in
    expect(labelsWide.some((l) => /^\d+h/.test(l)) && labelsWide.some((l) => /^[+-]\d+°/.test(l))).toBe(true);
    // finer labels carry minutes (RA 10h04m, Dec +2°30′)
    expect(labelsFine.some((l) => /^\d+h\d\dm/.test(l)) || labelsFine.some((l) => /°\d\d′$/.test(l))).toBe(true);
    expect(labelsFine).not.toEqual(labelsWide);
    expect(pixelDifference(before, after)).toBeGreaterThan(0.01);
  });

  it('hovering the cutout reads the pixel: x, y, every band’s value in the data’s unit, and its RA/Dec from the WCS', async () => {
    await goToIndex(5);
    const c = await engine((api) => api.cutouts.get({ idx: 5 }));
    const o = await engine((api) => api.catalog.object({ idx: 5 }));
    const cut = page.locator('[data-testid=cutout]');
    await cut.locator('canvas.pixels').waitFor();
    await expect.poll(async () => (await cut.boundingBox())?.width ?? 0).toBeGreaterThan(100);
    const box = (await cut.boundingBox())!;
    const [col, row] = [16.5, 10.5];
    await page.mouse.move(box.x + (box.width * col) / c.width, box.y + (box.height * row) / c.height);
    const ro = page.locator('[data-testid=pixel-readout]');
    await expect.poll(() => ro.getAttribute('data-x')).toBe('16');
    const x = 16,
      y = c.height - 1 - 10;
    expect(await ro.getAttribute('data-y')).toBe(String(y));
    const text = (await ro.textContent())!;
    const n = c.width * c.height;
    c.bands.forEach((b, i) => {
      const v = c.data[i * n + y * c.width + x];
      const shown = Number(new RegExp(`\\b${b} (\\S+)`).exec(text)![1]);
      expect(Math.abs(shown - v)).toBeLessThanOrEqual(Math.abs(v) * 1e-3 + 1e-12);
    });
    expect(text).toContain(c.unit);
    // TAN centred on the object, north up, east left: small-angle offsets from the centre pixel
    const s = c.pixscale / 3600,
      cx = (c.width - 1) / 2,
      cy = (c.height - 1) / 2;
    const dec = o.dec + (y - cy) * s,
      ra = o.ra - ((x - cx) * s) / Math.cos((o.dec * Math.PI) / 180);
    expect(Math.abs(Number(await ro.getAttribute('data-dec')) - dec) * 3600).toBeLessThan(0.01);
    expect(Math.abs(Number(await ro.getAttribute('data-ra')) - ra) * 3600 * Math.cos((o.dec * Math.PI) / 180)).toBeLessThan(0.01);
    await page.mouse.move(box.x - 30, box.y - 30);
    await expect.poll(() => ro.textContent()).toMatch(/hover the image/);
  });

  it('loads a local HiPS folder as the background and says so; the placeholder comes back on request', async () => {
    const { ra, dec } = await engine((api) => api.catalog.positions({}));
    const tiles = new Set<number>();
    for (let i = 0; i < ra.length; i++) {
      const t = radec2pix(3, ra[i], dec[i]);
      tiles.add(t);
      for (const nb of neighbours(3, t)) if (nb >= 0) tiles.add(nb);
    }
    const hips = join(fixture.home, 'hips', 'red-test');
    mkdirSync(hips, { recursive: true });
    writeFileSync(
      join(hips, 'properties'),
      writeHipsProperties({
        obs_title: 'Red test HiPS',
        hips_order: 3,
        hips_order_min: 3,
        hips_tile_width: 64,
        hips_tile_format: 'png',
        hips_frame: 'equatorial',
      }),
    );
    const tile = (rgb: number[]) => {
      const img = new PNG({ width: 64, height: 64 });
      for (let i = 0; i < 64 * 64; i++) img.data.set([...rgb, 255], 4 * i);
      return PNG.sync.write(img);
    };
    // the tile holding object #5 is green, the others red: the picture must put that tile where the sky is
    const marked = radec2pix(3, ra[5], dec[5]);
    for (const t of tiles) {
      const p = join(hips, tilePath(3, t, 'png'));
      mkdirSync(join(p, '..'), { recursive: true });
      writeFileSync(p, tile(t === marked ? [25, 235, 25] : [235, 25, 25]));
    }
    await goToIndex(5);
    await page.waitForTimeout(300);
    const note = page.locator('[data-testid=sky-note]');
    await expect(note.getAttribute('data-background')).resolves.toBe('placeholder');
    await expect(note.textContent()).resolves.toMatch(/procedural placeholder/);
    const before = await redShare();
    expect(before.share).toBeLessThan(0.01);
    await page.locator('[data-testid=sky-background] button', { hasText: 'background…' }).click();
    // a folder outside the ones this session may use is refused with one line
    await page.locator('[data-testid=hips-path]').fill('/etc');
    await page.locator('[data-testid=hips-load]').click();
    await page.locator('.banner', { hasText: 'outside the folders this session may use' }).waitFor();
    await page.locator('[data-testid=hips-path]').fill(hips);
    await page.locator('[data-testid=hips-load]').click();
    await page.locator('[data-testid=sky-note][data-background=hips]', { hasText: 'background: HiPS “Red test HiPS”' }).waitFor();
    await expect.poll(async () => (await redShare()).share, { timeout: 15_000 }).toBeGreaterThan(0.3);
    // zoom out until tile edges are in view; where the cursor readout says a point is, the tile drawn there is that tile
    const box = (await sky().boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let k = 0; k < 10 && Number(await sky().getAttribute('data-fov')) < 12; k++) await page.mouse.wheel(0, 400);
    await page.waitForTimeout(500);
    const shot = PNG.sync.read(await sky().screenshot({ path: 'test-results/screenshots/sky-hips.png' }));
    let checked = 0,
      green = 0;
    for (let gy = 1; gy <= 5; gy++)
      for (let gx = 1; gx <= 5; gx++) {
        const [px, py] = [Math.round((box.width * gx) / 6), Math.round((box.height * gy) / 6)];
        await page.mouse.move(box.x + px, box.y + py);
        const m = /\(([\d.]+)°, ([+-][\d.]+)°\)/.exec((await page.locator('[data-testid=sky-cursor]').textContent()) ?? '');
        if (!m) continue;
        const [pra, pdec] = [Number(m[1]), Number(m[2])];
        const here = radec2pix(3, pra, pdec);
        // skip points within ~0.2° of a tile edge (the mesh follows the edges with straight segments)
        if (
          [
            [0.2, 0],
            [-0.2, 0],
            [0, 0.2],
            [0, -0.2],
          ].some(([dr, dd]) => radec2pix(3, pra + dr / Math.cos((pdec * Math.PI) / 180), pdec + dd) !== here)
        )
          continue;
        if (!tiles.has(here)) continue;
        // the colour around the point (object markers, grid lines and labels may cover single pixels)
        let g = 0,
          r = 0;
        for (let dy = -4; dy <= 4; dy++)
          for (let dx = -4; dx <= 4; dx++) {
            const i = ((py + dy) * shot.width + px + dx) * 4;
            if (shot.data[i + 1] > 100 && shot.data[i] < 60) g++;
            if (shot.data[i] > 100 && shot.data[i + 1] < 60) r++;
          }
        expect(here === marked ? g > r : r > g, `(${pra}, ${pdec}) in tile ${here}: ${g} green, ${r} red pixels`).toBe(true);
        checked++;
        if (here === marked) green++;
      }
    expect(checked).toBeGreaterThan(10);
    expect(green).toBeGreaterThan(0);
    expect(green).toBeLessThan(checked);
    await page.locator('[data-testid=sky-background] button', { hasText: 'use the placeholder' }).click();
    await page.locator('[data-testid=sky-note][data-background=placeholder]', { hasText: 'procedural placeholder' }).waitFor();
    await expect.poll(async () => (await redShare()).share, { timeout: 10_000 }).toBeLessThan(0.01);
    expect(pageErrors).toEqual([]);
  });
});
