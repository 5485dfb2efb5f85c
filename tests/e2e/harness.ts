/**
 * End-to-end harness: the real dev host (`latent-sky serve`, a child process)
 * and Debian's Chromium driven by playwright-core; pixel checks on element
 * screenshots (WebGL output is only visible in pixels, not in the DOM).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator } from 'playwright-core';
import { PNG } from 'pngjs';

export const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const screenshotDir = join(root, 'test-results', 'screenshots');

export const CHROMIUM_ARGS = [
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface Served { url: string; child: ChildProcess; stderr: () => string; stop(): Promise<void> }

/** spawns `latent-sky serve ...args` and resolves with the URL it prints */
export function serve(args: string[], env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, [join(root, 'main', 'cli', 'bin.mjs'), 'serve', '--port', '0', ...args], {
    cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const stop = () => new Promise<void>((ok) => {
    if (child.exitCode !== null) return ok();
    child.once('exit', () => ok());
    child.kill('SIGTERM');
  });
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=\w+/.exec(out);
      if (m) ok({ url: m[0], child, stderr: () => err, stop });
    });
    child.once('exit', (code) => fail(new Error(`serve exited with ${code}: ${err}`)));
  });
}

export interface PixelStats { width: number; height: number; saturated: number; distinct: number; png: PNG }

/** counts strongly coloured pixels (point markers, not the grey-blue chrome) */
export async function pixelStats(el: Locator, save?: string): Promise<PixelStats> {
  const buf = await el.screenshot(save ? { path: join(screenshotDir, save) } : {});
  const png = PNG.sync.read(buf);
  let saturated = 0;
  const colours = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4) {
    const r = png.data[i], g = png.data[i + 1], b = png.data[i + 2];
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
      const r = png.data[i], g = png.data[i + 1], b = png.data[i + 2];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 80) return { x, y };
    }
  return null;
}

export function ensureScreenshotDir(): void {
  mkdirSync(screenshotDir, { recursive: true });
}
