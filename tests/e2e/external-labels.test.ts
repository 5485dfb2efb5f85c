/**
 * A second client labelling objects updates the open app: Chromium shows the
 * demo workspace through the dev host; a separate CLI process
 * (`latent-sky probe --pos/--neg`, its own SQLite connection) labels objects
 * of the active search; without a reload (no new probe.labels request) the
 * gallery card of the labelled object turns positive and the label colours
 * of the scatter change (session/label-watch.ts turns the external write
 * into the same 'labels' delta a local write emits).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COUNT, openDemoApp, type DemoApp } from './demo-fixture';
import { cliProcess } from '../helpers/cli-process';
import { pixelDifference, pixelStats } from './harness';

let app: DemoApp;
let page: Page;
const sent: string[] = [];

describe('labels from another process in the open app', () => {
  beforeAll(async () => {
    app = await openDemoApp({
      beforeLoad: (p) =>
        p.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(typeof f.payload === 'string' ? f.payload : f.payload.toString('latin1')))),
    });
    page = app.page;
  }, 240_000);

  afterAll(async () => app?.close());

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
    const others = Array.from({ length: DEMO_COUNT }, (_, i) => i)
      .filter((i) => i !== idx)
      .slice(0, 400);
    await page.waitForTimeout(500);
    const loadsBefore = sent.filter((f) => f.includes('probe.labels')).length;

    const r = await cliProcess(
      [
        'probe',
        app.fixture.ws,
        '--search',
        'demo-ring',
        '--pos',
        `#${idx}`,
        '--neg',
        others.map((i) => `#${i}`).join(','),
        '--top',
        '1',
        '--suggest',
        '0',
        '--json',
      ],
      app.fixture.home,
    );
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);

    await page.locator(`[data-testid=label-gallery] .card[data-idx="${idx}"][data-label=positive]`).waitFor({ timeout: 10_000 });
    expect(sent.filter((f) => f.includes('probe.labels')).length).toBe(loadsBefore);
    await page.locator('button[data-tab=explore]').click();
    const scatter = page.locator('[data-testid=scatter]');
    await expect.poll(async () => pixelDifference(before.png, (await pixelStats(scatter)).png), { timeout: 10_000 }).toBeGreaterThan(0.001);
    // the round that process recorded is offered (not swapped in under the user's keys), then shown on request
    const round = (JSON.parse(r.stdout) as { round: number }).round;
    await page.locator('button[data-tab=search]').click();
    const offer = page.locator('[data-testid=newer-round]');
    await expect.poll(async () => (await offer.count()) && (await offer.innerText()), { timeout: 10_000 }).toContain(`round ${round} was recorded elsewhere`);
    const header = page.locator('h4', { hasText: 'Ranked candidates' }).locator('small');
    expect(await header.innerText()).not.toBe(`(round ${round})`);
    await offer.click();
    await expect.poll(() => header.innerText(), { timeout: 10_000 }).toBe(`(round ${round})`);
    expect(await offer.count()).toBe(0);
    expect(app.pageErrors).toEqual([]);
  }, 90_000);
});
