/**
 * Score and field filters, colour scales and the labelled sample's history,
 * in Chromium against the dev host on the demo workspace WITH its simulated
 * searches: range filters on catalogue columns apply to the sky map, the
 * scatter and the grids alike, are counted and survive a reload; a clipped
 * colour scale says so; high scores are drawn on top; a selection is reviewed
 * before ONE bulk probe.setLabels; the label history is listed and undone
 * after the host restarts (an undo is a new event).
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_NONE, LABEL_POSITIVE, type LatentSkyApi } from '@app/contracts';
import { ramp } from '@renderer/src/gfx/colors';
import { DEMO_COUNT, demoWorkspaceCopy } from './demo-fixture';
import {
  ensureFreshRenderer,
  freePort,
  launchChromium,
  pixelStats,
  serve,
  type Served,
  withEngine,
  scatterViewNow,
  toScreen,
  type ScatterView,
} from './harness';

let fixture: ReturnType<typeof demoWorkspaceCopy>;
let served: Served;
let browser: Browser;
let page: Page;
let port: number;
const token = `e2e${randomBytes(12).toString('hex')}`;
const pageErrors: string[] = [];
const objects = `${DEMO_COUNT.toLocaleString('en-US')} objects`;
const n = (v: number) => v.toLocaleString('en-US');

const env = () => ({ LATENT_SKY_HOME: fixture.home, HOME: fixture.home, SAMP_HUB: '' });
const startHost = async () => {
  served = await serve([fixture.ws, '--port', String(port), '--token', token, '--no-samp'], env());
};

const engine = <T>(fn: (api: LatentSkyApi) => Promise<T>): Promise<T> => withEngine(`ws://127.0.0.1:${port}/ws?token=${token}`, fn);

type View = ScatterView;
const viewNow = () => scatterViewNow(page);
const drawnIn = async (view: 'scatter' | 'sky') => Number(await page.locator(`[data-testid=${view}]`).getAttribute('data-drawn'));

async function loaded(): Promise<void> {
  await page.locator('.toolbar .ws').filter({ hasText: objects }).waitFor({ timeout: 60_000 });
}

describe('filters, colour scales, review before labelling, label history', () => {
  beforeAll(async () => {
    await ensureFreshRenderer();
    fixture = demoWorkspaceCopy();
    port = await freePort();
    await startHost();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(served.url);
    await loaded();
    await page.locator('button[data-tab=explore]').click();
    await page.locator('[data-testid=scatter][data-view-now^="{"]').waitFor();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    fixture?.cleanup();
  });

  it('a range filter on a catalogue column applies to the sky map, the scatter and the ranked list alike, is counted, and survives a reload', async () => {
    const info = (await engine((api) => api.workspace.info({})))!;
    const column =
      info.columns.find((c) => c.name === 'morph_gini' && c.kind === 'numeric')?.name ??
      info.columns.find((c) => c.kind === 'numeric' && c.name.startsWith('morph_'))!.name;
    const col = await engine((api) => api.catalog.numeric({ column }));
    const sorted = Float32Array.from(col.values).filter(Number.isFinite).sort();
    // typed as 4 significant digits, so the inputs show exactly the filter's range
    const lo = Number(sorted[Math.floor(sorted.length * 0.2)].toPrecision(4)),
      hi = Number(sorted[Math.floor(sorted.length * 0.4)].toPrecision(4));
    await page.locator('[data-testid=filter-count]', { hasText: `${n(DEMO_COUNT)} of ${n(DEMO_COUNT)} shown` }).waitFor();
    await expect.poll(() => drawnIn('scatter')).toBe(DEMO_COUNT);
    const before = await pixelStats(page.locator('[data-testid=scatter] .deck-host'));

    await page.locator('[data-testid=filter-add]').selectOption(column);
    const chip = page.locator(`.filter[data-column="${column}"]`);
    await chip.locator('[data-testid=filter-hist]').waitFor();
    await chip.locator('[data-testid=filter-min]').fill(String(lo));
    await chip.locator('[data-testid=filter-min]').press('Enter');
    await chip.locator('[data-testid=filter-max]').fill(String(hi));
    await chip.locator('[data-testid=filter-max]').press('Enter');
    await expect.poll(async () => Number(await chip.locator('[data-testid=filter-max]').inputValue())).toBe(hi);
    const [fmin, fmax] = [
      Number(await chip.locator('[data-testid=filter-min]').inputValue()),
      Number(await chip.locator('[data-testid=filter-max]').inputValue()),
    ];
    expect([fmin, fmax]).toEqual([lo, hi]);
    const expected = Array.from(col.values).filter((v) => v >= fmin && v <= fmax).length;
    expect(expected).toBeGreaterThan(DEMO_COUNT * 0.1);
    expect(expected).toBeLessThan(DEMO_COUNT * 0.3);
    await page.locator('[data-testid=filter-count]', { hasText: `${n(expected)} of ${n(DEMO_COUNT)} shown` }).waitFor();
    await expect.poll(() => drawnIn('scatter')).toBe(expected);
    await expect.poll(() => drawnIn('sky')).toBe(expected);
    // fewer points on screen, not only a number
    await page.waitForTimeout(500);
    const after = await pixelStats(page.locator('[data-testid=scatter] .deck-host'), 'filters-scatter.png');
    expect(after.saturated).toBeLessThan(before.saturated * 0.6);
    // a click where a filtered-out point is picks nothing hidden
    const method = (await page.locator('select[aria-label=projection]').inputValue()) as 'pca' | 'umap';
    const { xy } = await engine((api) => api.embeddings.projection({ method }));
    const v = await viewNow();
    const hidden = Array.from({ length: DEMO_COUNT }, (_, i) => i).find((i) => {
      if (col.values[i] >= fmin && col.values[i] <= fmax) return false;
      const p = toScreen(v, xy[2 * i], xy[2 * i + 1]);
      return p.x > 30 && p.x < v.width - 200 && p.y > 30 && p.y < v.height - 30;
    })!;
    const hp = toScreen(v, xy[2 * hidden], xy[2 * hidden + 1]);
    const box = (await page.locator('[data-testid=scatter] .deck-host').boundingBox())!;
    await page.mouse.click(box.x + hp.x, box.y + hp.y);
    await page.waitForTimeout(300);
    const inspected = await page
      .locator('[data-testid=inspector] h3')
      .textContent()
      .catch(() => '');
    const shownIdx = /#(\d+) /.exec(inspected ?? '')?.[1];
    if (shownIdx !== undefined) expect(col.values[Number(shownIdx)] >= fmin && col.values[Number(shownIdx)] <= fmax).toBe(true);

    // the grids: every ranked candidate passes the filter
    await page.locator('button[data-tab=search]').click();
    await page.locator('[data-testid=ranked] li').first().waitFor();
    const ranked = await page.locator('[data-testid=ranked] li').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-idx'))));
    expect(ranked.length).toBeGreaterThan(0);
    for (const i of ranked) expect(col.values[i] >= fmin && col.values[i] <= fmax).toBe(true);
    const suggested = await page.locator('[data-testid=label-gallery] .card').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-idx'))));
    for (const i of suggested) expect(col.values[i] >= fmin && col.values[i] <= fmax).toBe(true);

    // remembered per workspace across a reload
    await page.reload();
    await loaded();
    await page.locator('[data-testid=filter-count]', { hasText: `${n(expected)} of ${n(DEMO_COUNT)} shown` }).waitFor();
    await page.locator('button[data-tab=explore]').click();
    await expect.poll(() => drawnIn('scatter'), { timeout: 20_000 }).toBe(expected);
    await expect.poll(() => drawnIn('sky')).toBe(expected);
    await page.locator(`.filter[data-column="${column}"] [data-testid=filter-remove]`).click();
    await page.locator('[data-testid=filter-count]', { hasText: `${n(DEMO_COUNT)} of ${n(DEMO_COUNT)} shown` }).waitFor();
    await expect.poll(() => drawnIn('scatter')).toBe(DEMO_COUNT);
  });

  it('a clipped colour scale says where and how much it clipped; scores are drawn with the highest on top', async () => {
    const info = (await engine((api) => api.workspace.info({})))!;
    const column = info.columns.find((c) => c.kind === 'numeric' && c.name.startsWith('morph_'))!.name;
    const col = await engine((api) => api.catalog.numeric({ column }));
    const sorted = Float32Array.from(col.values).filter(Number.isFinite).sort();
    const lo = sorted[Math.floor(sorted.length * 0.01)],
      hi = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
    const under = Array.from(col.values).filter((v) => v < lo).length,
      over = Array.from(col.values).filter((v) => v > hi).length;
    expect(under + over).toBeGreaterThan(0);
    await page.locator('[data-testid=colour-by]').selectOption(`col:${column}`);
    await page.locator('[data-testid=legend-clip]', { hasText: `clipped at p1 / p99: ${n(under)} below (blue), ${n(over)} above (orange)` }).waitFor();

    // scores: probabilities over 0–1, nothing clipped; the best candidate is drawn on top of its neighbours
    await page.locator('button[data-tab=search]').click();
    await page.locator('select[aria-label=search]').selectOption('demo-ring');
    await page.locator('[data-testid=ranked] li').first().waitFor();
    await page.locator('button[data-tab=explore]').click();
    await page.locator('[data-testid=colour-by]').selectOption('score');
    await page.locator('[data-testid=legend-clip]', { hasText: 'fixed range: nothing clipped' }).waitFor();
    const r = (await engine((api) => api.probe.result({ search: 'demo-ring' })))!;
    const method = (await page.locator('select[aria-label=projection]').inputValue()) as 'pca' | 'umap';
    const { xy } = await engine((api) => api.embeddings.projection({ method }));
    // zoomed out, so points overlap and the draw order decides what is seen
    const sbox = (await page.locator('[data-testid=scatter] .deck-host').boundingBox())!;
    const v0 = await viewNow();
    await page.mouse.move(sbox.x + sbox.width / 2 - 100, sbox.y + sbox.height / 2);
    await page.mouse.wheel(0, 1500);
    await expect.poll(async () => (await viewNow()).zoom, { timeout: 10_000 }).toBeLessThan(v0.zoom - 0.5);
    await page.waitForTimeout(500);
    const v = await viewNow();
    const shot = await pixelStats(page.locator('[data-testid=scatter] .deck-host'), 'score-on-top.png');
    const at = (x: number, y: number) => {
      const k = (Math.round(y) * shot.png.width + Math.round(x)) * 4;
      return [shot.png.data[k], shot.png.data[k + 1], shot.png.data[k + 2]];
    };
    const bg = at(3, 3);
    // what a point of score s looks like on screen: its ramp colour at alpha 220 over the background
    const looks = (s: number) => ramp(s).map((c, j) => (c * 220 + bg[j] * 35) / 255);
    const dist = (a: number[], b: number[]) => a.reduce((t, v, j) => t + Math.abs(v - b[j]), 0);
    // the 100 best candidates that a lower-scored object overlaps (within 2 px: in index order, a later one would hide them)
    const pos = (i: number) => toScreen(v, xy[2 * i], xy[2 * i + 1]);
    const order = Array.from(r.scores.keys()).sort((a, b) => r.scores[b] - r.scores[a]);
    const covered = order.slice(0, 100).filter((i) => {
      const p = pos(i);
      if (!(p.x > 10 && p.x < v.width - 200 && p.y > 10 && p.y < v.height - 10)) return false;
      for (let j = 0; j < DEMO_COUNT; j++) if (j !== i && r.scores[j] < r.scores[i] - 0.2 && Math.hypot(pos(j).x - p.x, pos(j).y - p.y) < 2) return true;
      return false;
    });
    expect(covered.length).toBeGreaterThanOrEqual(3);
    // each shows its own colour on top, not the lower-scored neighbour's
    const own = covered.filter((i) => dist(at(pos(i).x, pos(i).y), looks(r.scores[i])) < 60);
    expect(own.length / covered.length).toBeGreaterThan(0.8);
    await page.locator('[data-testid=colour-by]').selectOption('label');
  });

  it('labelling a selection first shows it for review (paged, leave some out), then ONE probe.setLabels call', async () => {
    await page.locator('button[data-tab=explore]').click();
    const frames: string[] = [];
    page.on('websocket', (ws) => ws.on('framesent', (f) => frames.push(typeof f.payload === 'string' ? f.payload : f.payload.toString('latin1'))));
    await page.reload(); // the listener sees the page's socket from its start
    await loaded();
    await page.locator('[data-testid=scatter][data-view-now^="{"]').waitFor();
    const box = (await page.locator('[data-testid=scatter] .deck-host').boundingBox())!;
    await page.keyboard.down('Shift');
    await page.mouse.move(box.x + 10, box.y + 10);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.7, { steps: 5 });
    await page.mouse.up();
    await page.keyboard.up('Shift');
    const picked = Number((await page.locator('[data-testid=selection-count]').textContent())!.split(' ')[0]);
    expect(picked).toBeGreaterThan(60);
    // the scatter's own "Label…" goes through the same review
    await page.locator('[data-testid=label-selection]').click();
    await page.locator('[data-testid=seed-review]', { hasText: `Review ${n(picked)} selected objects` }).waitFor();
    await page.locator('[data-testid=seed-review] header button', { hasText: 'cancel' }).click();
    await page.locator('[data-testid=seed-review]').waitFor({ state: 'detached' });
    await page.locator('button[data-tab=search]').click();
    await page.locator('select[aria-label=search]').selectOption('demo-lens');
    const labelsBefore = (await engine((api) => api.probe.labels({ search: 'demo-lens' }))).codes;
    await page.locator('[data-testid=seed-selected]').click();
    const review = page.locator('[data-testid=seed-review]');
    await review.waitFor();
    await review.locator('[data-testid=review-page]', { hasText: `page 1 / ${Math.ceil(picked / 48)}` }).waitFor();
    expect(frames.some((f) => f.includes('probe.setLabels'))).toBe(false); // nothing saved by opening the review
    const first = await review.locator('.review-card').evaluateAll((els) => els.slice(0, 2).map((e) => Number(e.getAttribute('data-idx'))));
    for (const i of first) await review.locator(`.review-card[data-idx="${i}"]`).click();
    await review.locator('[data-testid=review-next]').click();
    const third = Number(await review.locator('.review-card').first().getAttribute('data-idx'));
    await review.locator(`.review-card[data-idx="${third}"]`).click();
    await review.locator('[data-testid=review-apply]', { hasText: `Label ${n(picked - 3)} as positive` }).click();
    await review.waitFor({ state: 'detached' });
    await expect
      .poll(async () => (await engine((api) => api.probe.labels({ search: 'demo-lens' }))).codes.filter((c) => c === LABEL_POSITIVE).length, {
        timeout: 10_000,
      })
      .toBeGreaterThan(labelsBefore.filter((c) => c === LABEL_POSITIVE).length);
    const after = (await engine((api) => api.probe.labels({ search: 'demo-lens' }))).codes;
    for (const i of [...first, third]) expect(after[i]).toBe(labelsBefore[i]);
    const changed = Array.from(after.keys()).filter((i) => after[i] !== labelsBefore[i]);
    expect(changed.every((i) => after[i] === LABEL_POSITIVE)).toBe(true);
    expect(frames.filter((f) => f.includes('"probe.setLabels"')).length).toBe(1);
    expect(frames.filter((f) => f.includes('"probe.setLabel"')).length).toBe(0);
    // one Ctrl-Z undoes the whole bulk labelling (new entries; nothing deleted)
    const events = (await engine((api) => api.probe.history({ search: 'demo-lens', limit: 100_000 }))).length;
    await page.locator('[data-testid=search-panel] h4').first().click();
    await page.keyboard.press('Control+z');
    await expect
      .poll(async () => Array.from((await engine((api) => api.probe.labels({ search: 'demo-lens' }))).codes).every((c, i) => c === labelsBefore[i]), {
        timeout: 10_000,
      })
      .toBe(true);
    expect((await engine((api) => api.probe.history({ search: 'demo-lens', limit: 100_000 }))).length).toBe(events + picked - 3); // one undo entry per labelled object
    void LABEL_NONE;
  });

  it('the label history is listed (time, object, old → new) and undone after the host restarts; the undo is a new entry', async () => {
    await page.locator('button[data-tab=search]').click();
    await page.locator('select[aria-label=search]').selectOption('demo-ring');
    const r = (await engine((api) => api.probe.result({ search: 'demo-ring' })))!;
    const codes = (await engine((api) => api.probe.labels({ search: 'demo-ring' }))).codes;
    const idx = Array.from(r.suggestions).find((i) => codes[i] === LABEL_NONE)!;
    await page.locator(`[data-testid=label-gallery] .card[data-idx="${idx}"][data-label=none]`).click();
    await page.keyboard.press('y');
    await page.locator(`[data-testid=label-history] li[data-idx="${idx}"][data-from=none][data-to=positive]`).first().waitFor();
    const sample = page.locator('[data-testid=labelled-sample]');
    const positives = (await engine((api) => api.probe.searches({}))).find((x) => x.name === 'demo-ring')!.positives - 1;
    const eventsBefore = (await engine((api) => api.probe.history({ search: 'demo-ring', limit: 100_000 }))).length;

    // a new engine process and a new page: the history is the workspace's, and Ctrl-Z still undoes the change
    await served.stop();
    await startHost();
    await page.reload();
    await loaded();
    await page.locator('button[data-tab=search]').click();
    const top = page.locator('[data-testid=label-history] li').first();
    await expect
      .poll(async () => [await top.getAttribute('data-idx'), await top.getAttribute('data-to')], { timeout: 20_000 })
      .toEqual([String(idx), 'positive']);
    await page.locator('[data-testid=search-panel] h4').first().click();
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await engine((api) => api.probe.labels({ search: 'demo-ring' }))).codes[idx], { timeout: 10_000 }).toBe(LABEL_NONE);
    await page.locator(`[data-testid=label-history] li[data-idx="${idx}"][data-source=undo][data-to=none]`).waitFor();
    await page.locator(`[data-testid=label-history] li.undone[data-idx="${idx}"][data-to=positive]`).waitFor();
    // (a labelled object leaves the suggestions, so the labelled sample's count says it: one positive fewer)
    await sample.locator('[data-testid=labelled-count-positive]', { hasText: String(positives) }).waitFor();
    const history = await engine((api) => api.probe.history({ search: 'demo-ring', limit: 100_000 }));
    expect(history.length).toBe(eventsBefore + 1); // nothing deleted
    expect(history[0]).toMatchObject({ idx, from: 'positive', to: null, source: 'undo' });
    // undo from the list: an older user change of this session
    await page.screenshot({ path: 'test-results/screenshots/label-history.png' });
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('the patch overlay uses one PCA basis fitted over a stated reference set: the same colours for an object whichever was opened first', async () => {
    await page.locator('button[data-tab=explore]').click();
    const overlayOf = async (idx: number): Promise<number[]> => {
      await page.locator('[data-testid=goto-input]').fill(`#${idx}`);
      await page.locator('[data-testid=goto-input]').press('Enter');
      await page.locator('[data-testid=inspector] h3', { hasText: `#${idx} ` }).waitFor();
      const toggle = page.locator('[data-testid=overlay-toggle]');
      if (!(await toggle.isChecked())) await toggle.check();
      await page.locator('[data-testid=overlay-reference]').waitFor({ timeout: 60_000 });
      await page.waitForTimeout(300);
      return page.locator('[data-testid=overlay]').evaluate((el) => {
        const c = el as unknown as {
          width: number;
          height: number;
          getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
        };
        return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data);
      });
    };
    const first = await overlayOf(11);
    await expect(page.locator('[data-testid=overlay-reference]').textContent()).resolves.toBe('4,096 tokens of 64 reference objects');
    const explained = (await page.locator('[data-testid=overlay-explained]').textContent())!;
    expect(explained).toMatch(/^\d+% \/ \d+% \/ \d+%$/);
    await overlayOf(22);
    await expect(page.locator('[data-testid=overlay-explained]').textContent()).resolves.toBe(explained); // one basis for both
    // forget the fitted basis and the tokens, then open the other object first: the basis is fitted again, the same
    const cache = join(fixture.ws, 'cache', 'patch');
    const basisFiles = readdirSync(cache, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes('basis-'));
    expect(basisFiles.length).toBe(1);
    rmSync(cache, { recursive: true, force: true });
    await page.reload();
    await loaded();
    await page.locator('button[data-tab=explore]').click();
    await overlayOf(22);
    const again = await overlayOf(11);
    expect(again.length).toBe(first.length);
    expect(again).toEqual(first);
    await page.locator('[data-testid=overlay-toggle]').uncheck();
  });
});
