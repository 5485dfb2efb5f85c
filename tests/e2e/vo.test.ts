/**
 * VO round trips in Chromium against the dev host on the demo workspace with
 * its simulated searches, registered with a private jsamp reference hub:
 * export from the app (CSV, FITS, VOTable; the file exists and passes the
 * validators; copy path), a table another tool sends (jsamp messagesender)
 * becomes a sky overlay and labels for a search, and selections go to the
 * tool that loaded our table as table.select.rowList (jsamp snooper) and come
 * back. Skipped with the reason where java/jsamp are missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, LABEL_POSITIVE, type LatentSkyApi } from '@app/contracts';
import { readCsv, readVOTable } from '@app/tables';
import { connectNodeBridge } from '../contracts/ws-client';
import { SampClient } from '@main/node/samp/client';
import { collect, exited, jsampMissing, startHub, waitFor, type Hub } from '../samp/jsamp';
import { DEMO_COUNT, demoWorkspaceCopy } from './demo-fixture';
import { ensureFreshRenderer, ensureScreenshotDir, freePort, launchChromium, screenshotDir, serve, type Served } from './harness';

const missing = jsampMissing();
if (missing) console.warn(`tests/e2e/vo: skipped: ${missing}`);
const which = (c: string) => spawnSync('sh', ['-c', `command -v ${c}`]).status === 0;

describe.skipIf(missing !== null)('VO round trips in the app (export, tables from TOPCAT, row selections)', () => {
  let hub: Hub;
  let fixture: ReturnType<typeof demoWorkspaceCopy>;
  let served: Served;
  let browser: Browser;
  let page: Page;
  let port: number;
  const token = `e2e${randomBytes(12).toString('hex')}`;

  async function engine<T>(fn: (api: LatentSkyApi) => Promise<T>): Promise<T> {
    const bridge = await connectNodeBridge(`ws://127.0.0.1:${port}/ws?token=${token}`);
    try {
      return await fn(createApiClient(bridge));
    } finally {
      bridge.close();
    }
  }

  beforeAll(async () => {
    await ensureFreshRenderer();
    ensureScreenshotDir();
    hub = await startHub();
    fixture = demoWorkspaceCopy();
    port = await freePort();
    served = await serve([fixture.ws, '--port', String(port), '--token', token], {
      LATENT_SKY_HOME: fixture.home,
      HOME: fixture.home,
      SAMP_HUB: hub.env.SAMP_HUB!,
    });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(served.url).origin });
    page = await context.newPage();
    await page.goto(served.url);
    await page
      .locator('.toolbar .ws')
      .filter({ hasText: `${DEMO_COUNT.toLocaleString('en-US')} objects` })
      .waitFor({ timeout: 60_000 });
    await page.locator('[data-testid=samp][data-state=connected]').waitFor({ timeout: 30_000 });
    await page.locator('button[data-tab=search]').click();
    await page.locator('select[aria-label=search]').selectOption('demo-ring');
    await page.locator('[data-testid=ranked] li').first().waitFor();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    await hub?.stop();
    fixture?.cleanup();
  });

  it('exports the candidates as VOTable, FITS and CSV: the file exists, parses and passes the validators; copy path', async () => {
    const result = (await engine((api) => api.probe.result({ search: 'demo-ring' })))!;
    const paths: Record<string, string> = {};
    for (const format of ['votable', 'fits', 'csv']) {
      const pathBox = page.locator('[data-testid=export-path]');
      const before = (await pathBox.count()) ? await pathBox.inputValue() : '';
      await page.locator('[data-testid=export-format]').selectOption(format);
      await page.locator('[data-testid=export-run]').click();
      await expect.poll(async () => ((await pathBox.count()) ? pathBox.inputValue() : before), { timeout: 20_000 }).not.toBe(before);
      paths[format] = await page.locator('[data-testid=export-path]').inputValue();
      expect(existsSync(paths[format]), paths[format]).toBe(true);
      expect(paths[format].startsWith(join(fixture.ws, 'exports'))).toBe(true);
    }
    const vot = readVOTable(readFileSync(paths.votable, 'utf8'));
    expect(vot.columns.map((c) => c.name)).toContain('round');
    expect(vot.columns.map((c) => c.name)).toContain('model');
    expect(new Set(Array.from(vot.columns.find((c) => c.name === 'round')!.values as Int32Array))).toEqual(new Set([result.round]));
    const csv = readCsv(readFileSync(paths.csv, 'utf8'));
    expect(csv.nrows).toBe(vot.nrows);
    expect(readFileSync(paths.fits).subarray(0, 9).toString('latin1')).toBe('SIMPLE  =');
    if (which('stilts')) {
      const v = spawnSync('stilts', ['votlint', paths.votable], { encoding: 'utf8' });
      expect((v.stdout + v.stderr).trim()).toBe('');
    }
    if (which('fitsverify')) expect(spawnSync('fitsverify', ['-q', paths.fits], { encoding: 'utf8' }).stdout).toMatch(/verification OK/);
    // the export controls stay on one line each (no wrapped buttons) at 1280 px
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('.search-head').screenshot({ path: join(screenshotDir, 'vo-search-head-1280.png') });
    const tall = await page
      .locator('[data-testid=export] button, [data-testid=export] select')
      .evaluateAll((els) => els.filter((e) => e.getBoundingClientRect().height > 34).map((e) => e.textContent));
    expect(tall).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.locator('[data-testid=export-reveal]').click();
    await page.locator('[data-testid=export-reveal]', { hasText: 'copied' }).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(paths.csv);
  }, 90_000);

  it('a table sent by another tool (messagesender) is drawn on the sky map and labels a search in one call', async () => {
    const objs = await engine((api) => Promise.all([3, 140, 777].map((idx) => api.catalog.object({ idx }))));
    const file = join(fixture.home, 'picks.vot');
    const rows = [...objs.map((o) => `<TR><TD>${o.ra}</TD><TD>${o.dec}</TD><TD>${o.id}</TD></TR>`), '<TR><TD>12.5</TD><TD>-89.5</TD><TD>elsewhere</TD></TR>'];
    writeFileSync(
      file,
      `<?xml version="1.0"?>\n<VOTABLE version="1.4" xmlns="http://www.ivoa.net/xml/VOTable/v1.3"><RESOURCE><TABLE name="picks">
<FIELD name="ra" datatype="double" unit="deg"/><FIELD name="dec" datatype="double" unit="deg"/><FIELD name="objid" datatype="char" arraysize="*"/>
<DATA><TABLEDATA>${rows.join('')}</TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>\n`,
    );
    const sender = hub.java([
      'messagesender',
      '-mtype',
      'table.load.votable',
      '-param',
      'url',
      pathToFileURL(file).href,
      '-param',
      'table-id',
      'picks-1',
      '-param',
      'name',
      'my picks',
      '-mode',
      'sync',
      '-targetname',
      'Latent Sky',
      '-sendername',
      'topcat-stand-in',
    ]);
    const said = collect(sender);
    expect(await exited(sender)).toBe(0);
    expect(said.text()).toContain('samp.ok');
    await page.locator('[data-testid=samp-table]', { hasText: 'my picks' }).waitFor();
    await page.locator('[data-testid=samp-table-matched]', { hasText: '3 are objects of this workspace (column objid)' }).waitFor();
    // the overlay on the sky map (Explore), cross-matched: 4 rows, our 3 objects matched
    await page.locator('button[data-tab=explore]').click();
    await page.locator('[data-testid=catalog-matches]', { hasText: 'my picks (from topcat-stand-in): 4 rows, 3 matched' }).waitFor();
    await page.locator('button[data-tab=search]').click();
    await page.locator('[data-testid=samp-table-search]').selectOption('demo-ring');
    await page.locator('[data-testid=samp-table-positive]').click();
    await page.locator('[data-testid=samp-table-done]', { hasText: '3 labelled positive in demo-ring' }).waitFor();
    const codes = (await engine((api) => api.probe.labels({ search: 'demo-ring' }))).codes;
    expect([3, 140, 777].map((i) => codes[i])).toEqual([LABEL_POSITIVE, LABEL_POSITIVE, LABEL_POSITIVE]);

    // a table with neither positions nor our ids: one clear banner, and the sender hears why
    const bad = join(fixture.home, 'bad.vot');
    writeFileSync(
      bad,
      '<?xml version="1.0"?>\n<VOTABLE version="1.4"><RESOURCE><TABLE><FIELD name="mag" datatype="double"/><DATA><TABLEDATA><TR><TD>18</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE></VOTABLE>\n',
    );
    const s2 = hub.java([
      'messagesender',
      '-mtype',
      'table.load.votable',
      '-param',
      'url',
      pathToFileURL(bad).href,
      '-mode',
      'sync',
      '-targetname',
      'Latent Sky',
      '-sendername',
      'topcat-stand-in',
    ]);
    const said2 = collect(s2);
    await exited(s2);
    expect(said2.text()).toContain('samp.error');
    await page
      .getByText(/table from topcat-stand-in: table '.*' has no ra\/dec columns and no column of this workspace's object ids \(columns: mag\)/)
      .first()
      .waitFor();
  }, 90_000);

  it('selecting in the ranked list sends table.select.rowList to the tool that loaded our table; its rowList selects in the app', async () => {
    const snooper = hub.java(['snooper', '-clientname', 'snoop']);
    const out = collect(snooper);
    try {
      const probe = new SampClient({ name: 'probe', env: hub.env });
      await probe.connect();
      let names: string[] = [];
      await waitFor(
        () => names.includes('snoop'),
        'the snooper to register',
        15_000,
        async () => (names = (await probe.clients()).map((c) => c.name)),
      );
      const snoopId = (await probe.clients()).find((c) => c.name === 'snoop')!.id;
      let subs: string[] = [];
      await waitFor(
        () => subs.includes(snoopId),
        'the snooper to subscribe',
        15_000,
        async () => (subs = await probe.subscribers('table.load.votable')),
      );
      await probe.disconnect();
      await page.locator('[data-testid=samp-send-search]').click();
      await page.locator('[data-testid=samp-note]', { hasText: 'snoop loaded' }).waitFor({ timeout: 30_000 });
      await waitFor(() => /"table-id": "latent-sky-[^"]+"/.test(out.text()), 'the snooper to see the table');
      const tableId = /"table-id": "(latent-sky-[^"]+)"/.exec(out.text())![1];
      const url = /"url": "(file:[^"]+\.vot)"/.exec(out.text())![1];
      const result = (await engine((api) => api.probe.result({ search: 'demo-ring' })))!;
      const sent = Array.from(result.ranked.subarray(0, 200));

      await page.locator('[data-testid=ranked-show-labelled]').uncheck();
      const li = page.locator('[data-testid=ranked] li').nth(2);
      const idx = Number(await li.getAttribute('data-idx'));
      expect(sent.indexOf(idx)).toBeGreaterThanOrEqual(0);
      await li.locator('button.link').first().click();
      await waitFor(() => out.text().includes('table.select.rowList'), 'the snooper to see the rowList');
      const msg = out.text().slice(out.text().indexOf('table.select.rowList')).replace(/\s+/g, ' ');
      expect(msg).toContain(`"row-list": [ "${sent.indexOf(idx)}" ]`);
      expect(msg).toContain(`"table-id": "${tableId}"`);

      // the tool selects rows 4 and 5 of that table: those two objects are picked in the app
      const rl = hub.java([
        'messagesender',
        '-mtype',
        'table.select.rowList',
        '-param',
        'table-id',
        tableId,
        '-param',
        'url',
        url,
        '-param',
        'row-list',
        '["4", "5"]',
        '-mode',
        'sync',
        '-targetname',
        'Latent Sky',
      ]);
      expect(await exited(rl)).toBe(0);
      await page.locator('[data-testid=samp-note]', { hasText: '2 objects selected by' }).waitFor();
      await page.locator('[data-testid=seed-selected]', { hasText: 'Review and label 2 selected' }).waitFor();
      // not echoed back: the snooper saw one rowList only
      await new Promise((r) => setTimeout(r, 500));
      expect(out.text().split('table.select.rowList').length - 1).toBe(1);
    } finally {
      snooper.kill('SIGTERM');
      await exited(snooper);
    }
  }, 90_000);
});
