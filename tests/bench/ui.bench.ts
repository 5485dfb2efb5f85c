/**
 * UI frame rates in headless Debian Chromium (software GL: SwiftShader), with
 * the app's own graphics classes on synthetic points: the deck.gl embedding
 * scatter and the three.js sky globe while panning, and bare three.js Points
 * of the same data as the baseline for the scatter. On a machine with a GPU
 * these are far higher; here they show relative cost and regressions.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { build } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { serveStatic } from '@main/devhost/static';
import { launchChromium, root } from '../e2e/harness';
import type { BenchContext, BenchRow, BenchSuite } from './types';

/** what renderer/bench/ui-bench.ts puts on the page's window */
interface BenchWindow {
  measurePan(ms: number): Promise<number>;
  benchReady: boolean;
}

async function fps(url: string, ms: number): Promise<number> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as unknown as BenchWindow).benchReady === true, undefined, { timeout: 120_000 });
    await page.evaluate(() => (globalThis as unknown as BenchWindow).measurePan(1500)); // warm-up: shader compile, first upload
    return await page.evaluate((t) => (globalThis as unknown as BenchWindow).measurePan(t), ms);
  } finally {
    await browser.close();
  }
}

const suite: BenchSuite = {
  name: 'ui',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const out = join(ctx.tmpDir, 'ui-bench');
    await build({
      root: join(root, 'renderer', 'bench'),
      base: './',
      logLevel: 'warn',
      configFile: false,
      plugins: [svelte()],
      build: { outDir: out, emptyOutDir: true, rollupOptions: { input: join(root, 'renderer', 'bench', 'ui-bench.html') } },
    });
    const server = createServer((req, res) => void serveStatic(out, req, res));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ui-bench.html`;
    const ms = ctx.quick ? 2000 : 5000;
    const sizes = ctx.quick ? [20_000] : [200_000];
    const rows: BenchRow[] = [];
    try {
      for (const n of sizes) {
        ctx.log(`ui: ${n} points`);
        const points = await fps(`${base}?view=points&n=${n}`, ms);
        const scatter = await fps(`${base}?view=scatter&n=${n}`, ms);
        const sky = await fps(`${base}?view=sky&n=${n}`, ms);
        const size = `${n.toLocaleString('en')} points, 1000×700`;
        rows.push({
          operation: 'scatter pan (deck.gl, software GL)',
          size,
          timeMs: ms,
          throughput: scatter,
          unit: 'frames/s',
          baseline: { name: 'bare three.js Points', throughput: points },
        });
        rows.push({
          operation: 'sky globe rotate (three.js, software GL)',
          size,
          timeMs: ms,
          throughput: sky,
          unit: 'frames/s',
          note: 'headless Chromium + SwiftShader on the CPU; a GPU machine is far faster',
        });
      }
    } finally {
      server.close();
    }
    return rows;
  },
};

export default suite;
