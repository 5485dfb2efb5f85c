/**
 * The demo workspace as `latent-sky demo` leaves it (synthetic survey, default
 * model, index, PCA + UMAP, the simulated searches demo-lens / demo-ring /
 * demo-tidal / demo-merger), small enough to build in seconds. Built once per
 * machine into test-results/ (atomically: a temp folder renamed into place, so
 * test files running in parallel share it) and copied per test file, which
 * may then change its copy freely.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ensureFreshRenderer, launchChromium, root, serve, type Served } from './harness';

export const DEMO_COUNT = 1000;
export const DEMO_SEARCHES = ['demo-lens', 'demo-ring', 'demo-tidal', 'demo-merger'];

function built(): string {
  const dir = join(root, 'test-results', `e2e-demo-${DEMO_COUNT}`);
  if (existsSync(join(dir, 'complete'))) return join(dir, 'ws');
  mkdirSync(join(root, 'test-results'), { recursive: true });
  const tmp = mkdtempSync(join(root, 'test-results', 'e2e-demo-build-'));
  const ws = join(tmp, 'ws');
  const r = spawnSync(process.execPath, [join(root, 'main', 'cli', 'bin.mjs'), 'demo', ws, '--count', String(DEMO_COUNT)], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, LATENT_SKY_HOME: join(tmp, 'home') },
  });
  if (r.status !== 0) throw new Error(`latent-sky demo failed (${r.status}): ${r.stderr}`);
  rmSync(join(tmp, 'home'), { recursive: true, force: true });
  writeFileSync(join(tmp, 'complete'), '');
  try {
    renameSync(tmp, dir);
  } catch {
    // another test file built it at the same time: use theirs
    rmSync(tmp, { recursive: true, force: true });
  }
  return join(dir, 'ws');
}

/** a private copy of the demo workspace (with its simulated searches) under a new temp folder */
export function demoWorkspaceCopy(): { ws: string; home: string; cleanup(): void } {
  const src = built();
  const base = mkdtempSync(join(tmpdir(), 'ls-e2e-demo-'));
  const ws = join(base, 'demo-ws');
  cpSync(src, ws, { recursive: true });
  const home = join(base, 'home');
  mkdirSync(home);
  return { ws, home, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

export interface DemoApp {
  fixture: ReturnType<typeof demoWorkspaceCopy>;
  served: Served;
  browser: Browser;
  page: Page;
  /** uncaught errors of the page */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * Chromium on a private copy of the demo workspace through the dev host, the
 * page loaded and the workspace shown; `beforeLoad` sees the page first (to
 * listen to its WebSocket frames).
 */
export async function openDemoApp(opts: { beforeLoad?: (page: Page) => void } = {}): Promise<DemoApp> {
  await ensureFreshRenderer();
  const fixture = demoWorkspaceCopy();
  const served = await serve([fixture.ws, '--no-samp'], { LATENT_SKY_HOME: fixture.home, HOME: fixture.home, SAMP_HUB: '' });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  opts.beforeLoad?.(page);
  const close = async () => {
    await browser.close();
    await served.stop();
    fixture.cleanup();
  };
  await page.goto(served.url);
  await page
    .locator('.toolbar .ws')
    .filter({ hasText: `${DEMO_COUNT.toLocaleString('en-US')} objects` })
    .waitFor({ timeout: 60_000 });
  return { fixture, served, browser, page, pageErrors, close };
}
