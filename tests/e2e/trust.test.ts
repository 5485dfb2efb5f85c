/**
 * What an astronomer must be able to trust, in Chromium against the dev host
 * on the demo workspace WITH its simulated searches (tests/e2e/demo-fixture.ts):
 * the demo searches open (and the active search and tab survive a reload),
 * keyboard labelling goes to the object on screen (after Retrain, and y/n/u in
 * Explore), switching workspace clears every view, and with the engine gone
 * nothing is shown as saved; the page reconnects when the host comes back on
 * the same port and token.
 */
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_NEGATIVE, LABEL_NONE, LABEL_POSITIVE, type LatentSkyApi } from '@app/contracts';
import { DEMO_COUNT, DEMO_SEARCHES, demoWorkspaceCopy } from './demo-fixture';
import { ensureFreshRenderer, freePort, launchChromium, pixelStats, root, serve, type Served, withEngine } from './harness';

let fixture: ReturnType<typeof demoWorkspaceCopy>;
let served: Served;
let browser: Browser;
let page: Page;
let port: number;
const token = `e2e${randomBytes(12).toString('hex')}`;
const pageErrors: string[] = [];
const objects = `${DEMO_COUNT.toLocaleString('en-US')} objects`;

const env = () => ({ LATENT_SKY_HOME: fixture.home, HOME: fixture.home, SAMP_HUB: '' });
const startHost = async () => {
  served = await serve([fixture.ws, '--port', String(port), '--token', token, '--no-samp'], env());
};

/** a call to the engine from the test (its own socket), then closed */
const engine = <T>(fn: (api: LatentSkyApi) => Promise<T>): Promise<T> => withEngine(`ws://127.0.0.1:${port}/ws?token=${token}`, fn);

const counts = (s: { positives: number; negatives: number; unsure: number }) => `${s.positives} pos · ${s.negatives} neg · ${s.unsure} unsure`;
const focusIdx = async () => Number(await page.locator('[data-testid=label-gallery] .card.focus').getAttribute('data-idx'));

describe('trust: demo searches, keyboard labelling, workspace switch, connection state', () => {
  beforeAll(async () => {
    await ensureFreshRenderer();
    fixture = demoWorkspaceCopy();
    port = await freePort();
    await startHost();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(served.url);
    await page.locator('.toolbar .ws').filter({ hasText: objects }).waitFor({ timeout: 60_000 });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    fixture?.cleanup();
  });

  it('opens every simulated demo search without an error, and remembers the search and the tab across a reload', async () => {
    await page.locator('button[data-tab=search]').click();
    const select = page.locator('select[aria-label=search]');
    await page.locator('[data-testid=ranked] li').first().waitFor();
    const names = await select.locator('option').evaluateAll((els) => els.map((e) => e.getAttribute('value') ?? ''));
    expect(names.sort()).toEqual([...DEMO_SEARCHES].sort());
    const infos = await engine((api) => api.probe.searches({}));
    for (const name of ['demo-ring', 'demo-tidal']) {
      await select.selectOption(name);
      const info = infos.find((s) => s.name === name)!;
      await page.locator('.counts', { hasText: counts(info) }).waitFor();
      const result = (await engine((api) => api.probe.result({ search: name })))!;
      // unlabelled only: the engine's ranking (by default labelled objects are listed too, marked)
      await page.locator('[data-testid=ranked-show-labelled]').uncheck();
      await expect
        .poll(() => page.locator('[data-testid=ranked] li').first().getAttribute('data-idx', { timeout: 2000 }), { timeout: 10_000 })
        .toBe(String(result.ranked[0]));
      await page.locator('[data-testid=ranked-show-labelled]').check();
      await page.locator('.ranked h4', { hasText: `round ${result.round}` }).waitFor();
      // the label column is the new search's: every object labelled in it shows as labelled in the gallery
      const codes = (await engine((api) => api.probe.labels({ search: name }))).codes;
      const cards = await page
        .locator('[data-testid=label-gallery] .card')
        .evaluateAll((els) => els.map((e) => [Number(e.getAttribute('data-idx')), e.getAttribute('data-label')] as const));
      for (const [idx, label] of cards) expect(label === 'none').toBe(codes[idx] === LABEL_NONE);
    }
    expect(await page.locator('.banner').count()).toBe(0);
    await page.reload();
    await page.locator('.toolbar .ws').filter({ hasText: objects }).waitFor();
    await page.locator('button[data-tab=search].active').waitFor();
    await page.locator('[data-testid=ranked] li').first().waitFor();
    await expect(select.inputValue()).resolves.toBe('demo-tidal');
    expect(await page.locator('.banner').count()).toBe(0);
  });

  it('after Retrain the keyboard cursor is on the first new suggestion; y / n label the object on screen, in Search and in Explore', async () => {
    await page.locator('select[aria-label=search]').selectOption('demo-ring');
    await page.locator('[data-testid=label-gallery] .card').first().waitFor();
    // label three suggestions with the keyboard: the cursor moves on to the 4th card
    await page.locator('[data-testid=label-gallery] .card').first().click();
    for (const k of ['y', 'n', 'n']) await page.keyboard.press(k);
    const before = (await engine((api) => api.probe.searches({}))).find((s) => s.name === 'demo-ring')!;
    await page.locator('.counts', { hasText: counts({ ...before }) }).waitFor();
    const round = (await engine((api) => api.probe.result({ search: 'demo-ring' })))!.round;
    await page.locator('[data-testid=retrain]').click();
    await page.locator('.ranked h4', { hasText: `round ${round + 1}` }).waitFor();
    const result = (await engine((api) => api.probe.result({ search: 'demo-ring' })))!;
    const codes = (await engine((api) => api.probe.labels({ search: 'demo-ring' }))).codes;
    const firstNew = Array.from(result.suggestions.subarray(0, 24)).find((i) => codes[i] === LABEL_NONE)!;
    await page.locator(`[data-testid=label-gallery] .card.focus[data-idx="${firstNew}"]`).waitFor();
    await page.locator('[data-testid=inspector] h3', { hasText: `#${firstNew} ` }).waitFor();
    await page.keyboard.press('y');
    await page.locator(`[data-testid=label-gallery] .card[data-idx="${firstNew}"][data-label=positive]`).waitFor();
    await expect.poll(async () => (await engine((api) => api.probe.labels({ search: 'demo-ring' }))).codes[firstNew], { timeout: 10_000 }).toBe(LABEL_POSITIVE);
    // Explore: the inspector's y / n / u keys label the inspected object in the active search
    const next = await focusIdx();
    await page.locator('button[data-tab=explore]').click();
    await page.locator('[data-testid=inspector] h3', { hasText: `#${next} ` }).waitFor();
    await page.keyboard.press('n');
    await page.locator('.labels button[data-label=negative].on').waitFor();
    await expect.poll(async () => (await engine((api) => api.probe.labels({ search: 'demo-ring' }))).codes[next], { timeout: 10_000 }).toBe(LABEL_NEGATIVE);
    expect(pageErrors).toEqual([]);
  });

  it('switching workspace clears every view and state; the toolbar switcher goes there and back', async () => {
    const other = join(fixture.home, 'other-ws');
    const r = spawnSync(process.execPath, [join(root, 'main', 'cli', 'bin.mjs'), 'synth', other, '--count', '60', '--seed', '3'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ...env() },
    });
    expect(r.status, r.stderr).toBe(0);
    await page.locator('button[data-tab=explore]').click();
    // count points only (the legend overlaps the canvas and is coloured too)
    await page.addStyleTag({ content: '[data-testid=legend] { visibility: hidden !important; }' });
    const deck = page.locator('[data-testid=scatter] .deck-host');
    expect((await pixelStats(deck)).saturated).toBeGreaterThan(200);
    await page.locator('[data-testid=ws-switcher]').click();
    await page.locator('[data-testid=ws-path]').fill(other);
    await page.locator('[data-testid=ws-open]').click();
    await page.locator('.toolbar .ws').filter({ hasText: '60 objects' }).waitFor();
    await page.locator('[data-testid=scatter] .empty', { hasText: 'no embeddings yet' }).waitFor();
    await page.waitForTimeout(500);
    expect((await pixelStats(deck)).saturated).toBeLessThan(20);
    await expect(page.locator('[data-testid=inspector] h3').count()).resolves.toBe(0);
    await page.locator('button[data-tab=search]').click();
    await expect(page.locator('select[aria-label=search] option').count()).resolves.toBe(0);
    await expect(page.locator('[data-testid=label-gallery]').count()).resolves.toBe(0);
    await expect(page.locator('[data-testid=colour-by] option[value=label]').textContent()).resolves.toContain('no search');
    expect(await page.locator('.banner').count()).toBe(0);
    // back through the recent list: the demo workspace, its searches and its remembered search return
    await page.locator('[data-testid=ws-switcher]').click();
    await page.locator(`[data-testid=ws-recent][data-path="${fixture.ws}"]`).click();
    await page.locator('.toolbar .ws').filter({ hasText: objects }).waitFor();
    await page.locator('[data-testid=ranked] li').first().waitFor();
    await expect(page.locator('select[aria-label=search]').inputValue()).resolves.toBe('demo-ring');
    await page.locator('button[data-tab=explore]').click();
    await page.waitForTimeout(800);
    expect((await pixelStats(deck)).saturated).toBeGreaterThan(200);
    expect(await page.locator('.banner').count()).toBe(0);
  });

  it('the labelled sample: galleries per label, relabel in place, Ctrl-Z undoes; labelled objects stay in the ranked list, marked; ? lists the keys; r retrains', async () => {
    await page.locator('button[data-tab=search]').click();
    await page.locator('select[aria-label=search]').selectOption('demo-ring');
    const info = async () => (await engine((api) => api.probe.searches({}))).find((s) => s.name === 'demo-ring')!;
    const before = await info();
    const sample = page.locator('[data-testid=labelled-sample]');
    await sample.locator('[data-testid=labelled-count-positive]', { hasText: String(before.positives) }).waitFor();
    await sample.locator('[data-testid=labelled-count-negative]', { hasText: String(before.negatives) }).waitFor();
    await sample.locator('button.tab-chip[data-kind=negative]').click();
    await expect(sample.locator('.labelled-card').count()).resolves.toBe(Math.min(36, before.negatives));
    const idx = Number(await sample.locator('.labelled-card').first().getAttribute('data-idx'));
    await sample.locator(`.labelled-card[data-idx="${idx}"] [data-relabel=positive]`).click();
    await sample.locator('[data-testid=labelled-count-positive]', { hasText: String(before.positives + 1) }).waitFor();
    await expect.poll(async () => (await engine((api) => api.probe.labels({ search: 'demo-ring' }))).codes[idx], { timeout: 10_000 }).toBe(LABEL_POSITIVE);
    await page.locator('[data-testid=search-panel] h4').first().click(); // focus off the buttons
    await page.keyboard.press('Control+z');
    await sample.locator('[data-testid=labelled-count-positive]', { hasText: String(before.positives) }).waitFor();
    await expect.poll(async () => (await engine((api) => api.probe.labels({ search: 'demo-ring' }))).codes[idx], { timeout: 10_000 }).toBe(LABEL_NEGATIVE);
    // labelled objects are marked in the ranked list, not dropped from it
    await page.locator('[data-testid=ranked] li[data-label=positive] .mark', { hasText: '✓' }).first().waitFor();
    await page.keyboard.press('?');
    await page.locator('[data-testid=shortcuts]', { hasText: 'retrain the probe' }).waitFor();
    await page.screenshot({ path: 'test-results/screenshots/shortcuts.png' });
    await page.keyboard.press('Escape');
    await expect(page.locator('[data-testid=shortcuts]').count()).resolves.toBe(0);
    const round = (await engine((api) => api.probe.result({ search: 'demo-ring' })))!.round;
    await page.keyboard.press('r');
    await page.locator('.ranked h4', { hasText: `round ${round + 1}` }).waitFor();
    await sample.scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'test-results/screenshots/search-labelled.png', fullPage: false });
  });

  it('with the engine gone: the state is shown, labels and grades are not shown saved, one banner; the page reconnects when the host is back', async () => {
    const vet = await engine((api) => api.vetting.createFromSearch({ name: 'trust-check', search: 'demo-ring', top: 12 }));
    await page.reload();
    await page.locator('.toolbar .ws').filter({ hasText: objects }).waitFor();
    await page.locator('button[data-tab=search]').click();
    await page.locator('[data-testid=label-gallery] .card').first().waitFor();
    const unlabelled = await page
      .locator('[data-testid=label-gallery] .card[data-label=none]')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-idx'))));
    expect(unlabelled.length).toBeGreaterThan(4);
    await page.locator(`[data-testid=label-gallery] .card[data-idx="${unlabelled[0]}"]`).click();
    await expect(page.locator('[data-testid=connection]').getAttribute('data-state')).resolves.toBe('connected');

    await served.stop();
    await page.locator('[data-testid=connection][data-state=disconnected]').waitFor();
    await page.locator('[data-testid=connection-banner]').waitFor();
    for (const k of ['y', 'y', 'y']) await page.keyboard.press(k);
    // every failed call (three labels, the thumbnails and inspector fetches) lands in ONE banner with a count
    await expect
      .poll(async () => Number(await page.locator('.banner[data-code=UNAVAILABLE]').getAttribute('data-count')), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(3);
    await expect(page.locator('.banner[data-code=UNAVAILABLE]').count()).resolves.toBe(1);
    for (const idx of unlabelled.slice(0, 3))
      await expect(page.locator(`[data-testid=label-gallery] .card[data-idx="${idx}"]`).getAttribute('data-label')).resolves.toBe('none');
    // vetting: a grade typed while disconnected is not shown as given
    await page.locator('button[data-tab=vetting]').click();
    await page
      .locator('select[aria-label="vetting list"]')
      .selectOption(vet.name)
      .catch(() => undefined);
    await page.locator('.vet-card').first().click();
    await page.keyboard.press('2');
    await page.waitForTimeout(300);
    await expect(page.locator('.vet-card[data-pos="0"]').getAttribute('data-grade')).resolves.toBe('-1');

    await startHost();
    await page.locator('[data-testid=connection][data-state=connected]').waitFor({ timeout: 20_000 });
    await expect(page.locator('[data-testid=connection-banner]').count()).resolves.toBe(0);
    await expect(page.locator('.banner[data-code=UNAVAILABLE]').count()).resolves.toBe(0);
    await page.locator('.vet-card').first().click();
    await page.keyboard.press('2');
    await page.locator('.vet-card[data-pos="0"][data-grade="2"]').waitFor();
    await expect.poll(async () => (await engine((api) => api.vetting.get({ name: vet.name }))).grades[0], { timeout: 10_000 }).toBe(2);
    await page.locator('button[data-tab=search]').click();
    await page.locator(`[data-testid=label-gallery] .card[data-idx="${unlabelled[0]}"]`).click();
    await page.keyboard.press('y');
    await page.locator(`[data-testid=label-gallery] .card[data-idx="${unlabelled[0]}"][data-label=positive]`).waitFor();
    await expect
      .poll(async () => (await engine((api) => api.probe.labels({ search: 'demo-ring' }))).codes[unlabelled[0]], { timeout: 10_000 })
      .toBe(LABEL_POSITIVE);
    expect(pageErrors).toEqual([]);
  });
});
