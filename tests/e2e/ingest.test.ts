/**
 * "Add data" in the app: the renderer (built here into a private folder, so
 * a concurrent build of out/renderer cannot interfere) served by the dev host
 * around a real engine, driven in Debian Chromium. A folder of PNG cutouts
 * with a CSV catalogue goes into a new workspace (one file is corrupt and
 * must be reported), then a second folder into the open one: the progress
 * ends, the object count in the toolbar grows, the report lists the skip.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevHost, type DevHost } from '@main/devhost/server';
import { Engine } from '@main/node/services/engine';
import { Workspace } from '@main/node/workspace/workspace';
import { ensureScreenshotDir, launchChromium, root, screenshotDir } from './harness';

let dir: string;
let engine: Engine;
let host: DevHost;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

/** a 24×24 colour 'galaxy': a blob whose size and colour depend on k */
function pngBytes(k: number): Buffer {
  const png = new PNG({ width: 24, height: 24 });
  for (let y = 0; y < 24; y++)
    for (let x = 0; x < 24; x++) {
      const v = Math.exp(-((x - 11.5) ** 2 + (y - 11.5) ** 2) / (2 * (2 + k) ** 2));
      const i = (y * 24 + x) * 4;
      png.data[i] = Math.round(255 * v);
      png.data[i + 1] = Math.round((150 + 20 * k) * v);
      png.data[i + 2] = Math.round(90 * v);
      png.data[i + 3] = 255;
    }
  return PNG.sync.write(png);
}

/** n PNG files and catalogue.csv (id, ra, dec, file); `corrupt` names a file whose bytes are not a PNG */
function makeFolder(name: string, ids: string[], corrupt?: string): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  const rows = ids.map((id, k) => {
    writeFileSync(join(d, `${id}.png`), id === corrupt ? Buffer.from('\x89PNG\r\n\x1a\n this file was cut short') : pngBytes(k));
    return `${id},${(180 + k * 0.01).toFixed(4)},${(10 + k * 0.01).toFixed(4)},${id}.png`;
  });
  writeFileSync(join(d, 'catalogue.csv'), `id,ra,dec,file\n${rows.join('\n')}\n`);
  return d;
}

async function ingestFolder(folder: string, workspace: string): Promise<void> {
  await page.getByTestId('add-data').click();
  await page.getByTestId('ingest-dialog').waitFor();
  await page.getByTestId('ingest-source-folder').check();
  await page.getByTestId('ingest-path').fill(folder);
  await page.getByTestId('ingest-catalog').fill(join(folder, 'catalogue.csv'));
  await page.getByTestId('ingest-workspace').fill(workspace);
  await page.getByTestId('ingest-start').click();
}

describe('Add data in Chromium', () => {
  beforeAll(async () => {
    ensureScreenshotDir();
    dir = mkdtempSync(join(tmpdir(), 'ls-e2e-ingest-'));
    const www = join(dir, 'www');
    await build({ configFile: join(root, 'renderer', 'vite.config.ts'), logLevel: 'warn', build: { outDir: www, emptyOutDir: true } });
    engine = new Engine({ stateDir: join(dir, 'state'), modelsDir: join(dir, 'models'), roots: [dir] });
    host = await startDevHost({ engine, context: engine.validationContext, rendererDir: www, port: 0 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(host.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await engine?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('imports a folder of PNGs with a catalogue into a new workspace and reports the corrupt file', async () => {
    const folder = makeFolder('first', ['gal_a', 'gal_b', 'gal_c', 'broken', 'gal_d'], 'broken');
    const wsDir = join(dir, 'new.lsky');
    await ingestFolder(folder, wsDir);
    await page.locator('[data-testid=ingest-progress][data-state=done]').waitFor({ timeout: 20_000 });
    await page.locator('.toolbar .ws').filter({ hasText: '4 objects' }).waitFor({ timeout: 10_000 });
    const report = page.getByTestId('ingest-report');
    await report.waitFor();
    await expect(report.getByTestId('ingest-added').textContent()).resolves.toBe('4');
    await expect(report.getByTestId('ingest-skipped-count').textContent()).resolves.toBe('1');
    const row = report.getByTestId('ingest-skipped').locator('tbody tr');
    await expect(row.count()).resolves.toBe(1);
    const cells = await row.locator('td').allTextContents();
    expect(cells[0]).toBe('broken');
    expect(cells[3]).toMatch(/broken\.png/);
    await page.getByTestId('ingest-dialog').screenshot({ path: join(screenshotDir, 'ingest-dialog.png') });
    // the workspace on disk holds exactly the four good images, as g,r,z planes
    expect(Workspace.isWorkspace(wsDir)).toBe(true);
    expect(
      engine.ctx
        .ws()
        .objects()
        .map((o) => o.id),
    ).toEqual(['gal_a', 'gal_b', 'gal_c', 'gal_d']);
    expect(engine.ctx.ws().manifest.cutout.bands).toEqual(['g', 'r', 'z']);
  });

  it('adds a second folder to the open workspace: the count grows, embedding is offered', async () => {
    await page.getByRole('button', { name: 'close' }).click();
    await page.getByTestId('ingest-dialog').waitFor({ state: 'detached' });
    const folder = makeFolder('second', ['gal_e', 'gal_f', 'gal_g']);
    await ingestFolder(folder, '');
    await page.locator('.toolbar .ws').filter({ hasText: '7 objects' }).waitFor({ timeout: 20_000 });
    await page.locator('[data-testid=ingest-report][data-state=done]').getByTestId('ingest-added').filter({ hasText: '3' }).waitFor();
    await expect(page.getByTestId('ingest-skipped-count').textContent()).resolves.toBe('0');
    await page.getByTestId('ingest-embed').waitFor();
    expect(engine.ctx.ws().count()).toBe(7);
    expect(pageErrors).toEqual([]);
  });
});
