/**
 * A second client labelling objects updates the open app: Chromium shows the
 * demo workspace through the dev host; a separate CLI process
 * (`latent-sky probe --pos/--neg`, its own SQLite connection) labels objects
 * of the active search; without a reload (no new probe.labels request) the
 * gallery card of the labelled object turns positive and the label colours
 * of the scatter change (session/label-watch.ts turns the external write
 * into the same 'labels' delta a local write emits).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COUNT, demoWorkspaceCopy } from './demo-fixture';
import { ensureFreshRenderer, launchChromium, pixelDifference, pixelStats, root, serve, type Served } from './harness';

let fixture: ReturnType<typeof demoWorkspaceCopy>;
let served: Served;
let browser: Browser;
let page: Page;
const sent: string[] = [];
const pageErrors: string[] = [];
const objects = `${DEMO_COUNT.toLocaleString('en-US')} objects`;

function cli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [join(root, 'main', 'cli', 'bin.mjs'), ...args], { cwd: root, env: { ...process.env, LATENT_SKY_HOME: fixture.home } });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('labels from another process in the open app', () => {
  beforeAll(async () => {
    await ensureFreshRenderer();
    fixture = demoWorkspaceCopy();
    served = await serve([fixture.ws, '--no-samp'], { LATENT_SKY_HOME: fixture.home, HOME: fixture.home, SAMP_HUB: '' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(typeof f.payload === 'string' ? f.payload : f.payload.toString('latin1'))));
    await page.goto(served.url);
    await page.locator('.toolbar .ws').filter({ hasText: objects }).waitFor({ timeout: 60_000 });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    fixture?.cleanup();
  });

  it('a CLI process labels objects: the card and the scatter recolour without a reload', async () => {
    await page.locator('button[data-tab=search]').click();
    await page.locator('select[aria-label=search]').selectOption('demo-ring');
    await page.locator('[data-testid=label-gallery] .card').first().waitFor({ timeout: 30_000 });
    await page.locator('button[data-tab=explore]').click();
    await page.locator('[data-testid=colour-by]').selectOption('label');
    await page.waitForTimeout(1000);
    const before = await pixelStats(page.locator('[data-testid=scatter]'));

    await page.locator('button[data-tab=search]').click();
    const unlabelled = page.locator('[data-testid=label-gallery] .card[data-label=none]');
    await unlabelled.first().waitFor({ timeout: 30_000 });
    const idx = Number(await unlabelled.first().getAttribute('data-idx'));
    // a batch of other objects too, so the scatter's label colours visibly change
    const others = Array.from({ length: DEMO_COUNT }, (_, i) => i).filter((i) => i !== idx).slice(0, 400);
    await page.waitForTimeout(500);
    const loadsBefore = sent.filter((f) => f.includes('probe.labels')).length;

    const r = await cli(['probe', fixture.ws, '--search', 'demo-ring', '--pos', `#${idx}`, '--neg', others.map((i) => `#${i}`).join(','), '--top', '1', '--suggest', '0']);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);

    await page.locator(`[data-testid=label-gallery] .card[data-idx="${idx}"][data-label=positive]`).waitFor({ timeout: 10_000 });
    expect(sent.filter((f) => f.includes('probe.labels')).length).toBe(loadsBefore);
    await page.locator('button[data-tab=explore]').click();
    const scatter = page.locator('[data-testid=scatter]');
    await expect.poll(async () => pixelDifference(before.png, (await pixelStats(scatter)).png), { timeout: 10_000 }).toBeGreaterThan(0.001);
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
