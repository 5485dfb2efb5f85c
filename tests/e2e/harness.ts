/**
 * End-to-end harness: the real dev host (`latent-sky serve`, a child process)
 * and Debian's Chromium driven by playwright-core; pixel checks on element
 * screenshots (WebGL output is only visible in pixels, not in the DOM).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { createApiClient, type LatentSkyApi } from '@app/contracts';
import { connectNodeBridge } from '../contracts/ws-client';
import { PNG } from 'pngjs';
import { ensureRendererBuilt, rendererOut } from '@main/devhost/build';

export const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const screenshotDir = join(root, 'test-results', 'screenshots');

export const CHROMIUM_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface Served {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  stop(): Promise<void>;
}

/** spawns `latent-sky serve ...args` (on any free port unless args name one) and resolves with the URL it prints */
export function serve(args: string[], env: Record<string, string>): Promise<Served> {
  const port = args.includes('--port') ? [] : ['--port', '0'];
  const child = spawn(process.execPath, [join(root, 'main', 'cli', 'bin.mjs'), 'serve', ...port, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const stop = () =>
    new Promise<void>((ok) => {
      if (child.exitCode !== null) return ok();
      child.once('exit', () => ok());
      child.kill('SIGTERM');
    });
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(out);
      if (m) ok({ url: m[0], child, stderr: () => err, stop });
    });
    child.once('exit', (code) => fail(new Error(`serve exited with ${code}: ${err}`)));
  });
}

export interface PixelStats {
  width: number;
  height: number;
  saturated: number;
  distinct: number;
  png: PNG;
}

/** counts strongly coloured pixels (point markers, not the grey-blue chrome) */
export async function pixelStats(el: Locator, save?: string): Promise<PixelStats> {
  const buf = await el.screenshot(save ? { path: join(screenshotDir, save) } : {});
  const png = PNG.sync.read(buf);
  let saturated = 0;
  const colours = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4) {
    const r = png.data[i],
      g = png.data[i + 1],
      b = png.data[i + 2];
    if (Math.max(r, g, b) - Math.min(r, g, b) > 80) saturated++;
    colours.add((r >> 3) * 1024 + (g >> 3) * 32 + (b >> 3));
  }
  return { width: png.width, height: png.height, saturated, distinct: colours.size, png };
}

/** fraction of pixels that differ between two same-size screenshots */
export function pixelDifference(a: PNG, b: PNG): number {
  if (a.width !== b.width || a.height !== b.height) return 1;
  let diff = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    if (Math.abs(a.data[i] - b.data[i]) + Math.abs(a.data[i + 1] - b.data[i + 1]) + Math.abs(a.data[i + 2] - b.data[i + 2]) > 30) diff++;
  }
  return diff / (a.width * a.height);
}

/** a strongly coloured pixel (a point) away from the element's edges, in element coordinates */
export function findPoint(s: PixelStats, margin = 20): { x: number; y: number } | null {
  const { png } = s;
  for (let y = margin; y < png.height - margin; y += 3)
    for (let x = margin; x < png.width - 160; x += 3) {
      const i = (y * png.width + x) * 4;
      const r = png.data[i],
        g = png.data[i + 1],
        b = png.data[i + 2];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 80) return { x, y };
    }
  return null;
}

/** a TCP port free right now on 127.0.0.1 */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => ok(port));
    });
  });
}

export function ensureScreenshotDir(): void {
  mkdirSync(screenshotDir, { recursive: true });
}

function newestMtime(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    t = Math.max(t, st.isDirectory() ? newestMtime(p) : st.mtimeMs);
  }
  return t;
}

/**
 * The renderer built from the current sources, once for all e2e files running
 * in parallel: rebuilt when a source is newer than out/renderer/index.html,
 * under a lock folder so no file reads a half-written build.
 */
export async function ensureFreshRenderer(): Promise<void> {
  const index = join(rendererOut, 'index.html');
  const lock = join(root, 'out', '.renderer-build.lock');
  mkdirSync(join(root, 'out'), { recursive: true });
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 180_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    const src = Math.max(newestMtime(join(root, 'renderer')), newestMtime(join(root, 'app')));
    const stale = !existsSync(index) || statSync(index).mtimeMs < src;
    await ensureRendererBuilt({ force: stale });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** One contract client on the dev host's WebSocket (ws://127.0.0.1:PORT/ws?token=…) for the duration of `fn`. */
export async function withEngine<T>(wsUrl: string, fn: (api: LatentSkyApi) => Promise<T>): Promise<T> {
  const bridge = await connectNodeBridge(wsUrl);
  try {
    return await fn(createApiClient(bridge));
  } finally {
    bridge.close();
  }
}

/** the WebSocket URL of a served host's page URL (http://HOST/?token=T → ws://HOST/ws?token=T) */
export const engineUrl = (pageUrl: string) => pageUrl.replace('http://', 'ws://').replace('/?token=', '/ws?token=');

/** The scatter's current view (data-view-now) and the screen position of data coordinates under it. */
export interface ScatterView {
  target: number[];
  zoom: number;
  width: number;
  height: number;
}
export const scatterViewNow = async (page: Page): Promise<ScatterView> =>
  JSON.parse((await page.locator('[data-testid=scatter]').getAttribute('data-view-now'))!) as ScatterView;
export const toScreen = (v: ScatterView, x: number, y: number) => ({
  x: v.width / 2 + (x - v.target[0]) * 2 ** v.zoom,
  y: v.height / 2 - (y - v.target[1]) * 2 ** v.zoom,
});
