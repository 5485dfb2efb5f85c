/**
 * Events carry deltas, seen from the browser: opening a workspace is one
 * column load (one `catalog.positions` request over the WebSocket, although
 * the index job reports twice), and labels set by a second client of the
 * engine recolour the open app without a reload.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '@app/contracts';
import { connectNodeBridge } from '../contracts/ws-client';
import { makeFixtureWorkspace } from '../discovery/fixture-workspace';
import { ensureFreshRenderer, launchChromium, pixelDifference, pixelStats, serve, type Served } from './harness';

const N = 400;
let home: string;
let served: Served;
let browser: Browser;
let page: Page;
const sent: string[] = [];

describe('delta events in the app', () => {
  beforeAll(async () => {
    await ensureFreshRenderer();
    home = mkdtempSync(join(tmpdir(), 'ls-e2e-deltas-'));
    const ws = makeFixtureWorkspace(join(home, 'ws'), N);
    ws.labels.createSearch('rings');
    ws.close();
    served = await serve([join(home, 'ws'), '--no-samp'], { LATENT_SKY_HOME: home, HOME: home, SAMP_HUB: '' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
    page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(typeof f.payload === 'string' ? f.payload : f.payload.toString('latin1'))));
    await page.goto(served.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('opening the workspace loads the columns once', async () => {
    await page
      .locator('.toolbar .ws')
      .filter({ hasText: `${N} objects` })
      .waitFor({ timeout: 60_000 });
    // the index job has ended (asked of the engine: its finished bar leaves the page after a while)
    const bridge = await connectNodeBridge(served.url.replace('http://', 'ws://').replace('/?token=', '/ws?token='));
    try {
      const api = createApiClient(bridge);
      await expect.poll(async () => (await api.jobs.list({})).find((j) => j.kind === 'index')?.state, { timeout: 60_000 }).toBe('done');
    } finally {
      bridge.close();
    }
    await page.waitForTimeout(1000);
    expect(sent.filter((f) => f.includes('catalog.positions'))).toHaveLength(1);
  }, 90_000);

  it('labels from a second client recolour the open app', async () => {
    await page.locator('[data-testid=colour-by]').selectOption('label');
    await page.waitForTimeout(800);
    const before = await pixelStats(page.locator('[data-testid=sky]'));
    const bridge = await connectNodeBridge(served.url.replace('http://', 'ws://').replace('/?token=', '/ws?token='));
    try {
      const api = createApiClient(bridge);
      await api.probe.setLabels({ search: 'rings', indices: Int32Array.from({ length: N }, (_, i) => i), label: 'positive' });
    } finally {
      bridge.close();
    }
    await page.waitForTimeout(1500);
    const after = await pixelStats(page.locator('[data-testid=sky]'));
    expect(pixelDifference(before.png, after.png)).toBeGreaterThan(0.001);
    expect(sent.filter((f) => f.includes('probe.labels')).length).toBeLessThanOrEqual(1);
  }, 60_000);
});
