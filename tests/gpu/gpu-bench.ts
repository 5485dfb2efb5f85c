/**
 * GPU measurements, for a machine with an NVIDIA GPU (not part of npm test):
 *   1. encoder throughput, CUDA execution provider vs CPU on the same machine, batch 64 and 256,
 *      fp32 (the bundled ls-vit-tiny) and int8 (dynamic quantisation by onnxruntime.quantization
 *      when Python has it; otherwise recorded as not run);
 *   2. deck.gl scatter frames/s while panning with 1M and 10M points in Chromium on the GPU
 *      (ANGLE over EGL/Vulkan; the WebGL renderer string is recorded, so software GL is visible).
 * Every step has a time budget; the whole run stops at LATENT_SKY_GPU_BUDGET_S (default 270 s).
 * Writes JSON to argv[2] (default tests/gpu/results-<date>.json).
 * Run: tests/gpu/run.sh [OUT.json]   (needs `ONNXRUNTIME_NODE_INSTALL=cuda12 npm ci` for CUDA)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { serveStatic } from '@main/devhost/static';
import { Encoder } from '@main/node/encoder/session';
import { loadModelFolder } from '@main/node/encoder/model-folder';

const root = fileURLToPath(new URL('../..', import.meta.url));
const t0 = Date.now();
const budgetMs = Number(process.env.LATENT_SKY_GPU_BUDGET_S ?? 270) * 1000;
const left = () => budgetMs - (Date.now() - t0);
const out = process.argv[2] ?? join(root, 'tests', 'gpu', `results-${new Date().toISOString().slice(0, 10)}.json`);
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model,
  cores: cpus().length,
  encoder: [],
  scatter: [],
  notes: [],
};
const notes = results.notes as string[];
const save = () => writeFileSync(out, JSON.stringify(results, null, 2) + '\n');

try {
  results.gpu = execFileSync('nvidia-smi', ['--query-gpu=name,memory.total,driver_version', '--format=csv,noheader'], { encoding: 'utf8' }).trim();
} catch {
  results.gpu = null;
  notes.push('nvidia-smi not found: no NVIDIA GPU visible');
}

async function throughput(modelDir: string, providers: string[], batch: number, seconds: number): Promise<Record<string, unknown>> {
  const enc = await Encoder.open(modelDir, { providers });
  try {
    const [c, h, w] = enc.inputShape;
    const input = new Float32Array(batch * c * h * w).map((_, i) => Math.sin(i) * 0.5);
    await enc.run(input, batch); // warm-up: kernels, memory pools
    let images = 0;
    const s = performance.now();
    while (performance.now() - s < seconds * 1000) {
      await enc.run(input, batch);
      images += batch;
    }
    const dt = (performance.now() - s) / 1000;
    return { provider: enc.provider, requested: providers.join(','), batch, imagesPerSecond: images / dt, seconds: dt, attempts: enc.attempts };
  } finally {
    await enc.release();
  }
}

function int8Model(fp32: string): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'ls-int8-'));
  const q = join(dir, 'model.onnx');
  try {
    execFileSync(
      'python3',
      [
        '-c',
        `from onnxruntime.quantization import quantize_dynamic, QuantType; quantize_dynamic(${JSON.stringify(join(fp32, 'model.onnx'))}, ${JSON.stringify(q)}, weight_type=QuantType.QInt8)`,
      ],
      { stdio: 'pipe', timeout: 60_000 },
    );
    execFileSync('cp', [join(fp32, 'manifest.json'), join(dir, 'manifest.json')]);
    return dir;
  } catch (e) {
    notes.push(
      `int8: not run (python onnxruntime.quantization unavailable: ${String((e as Error).message)
        .split('\n')[0]
        .slice(0, 160)})`,
    );
    return null;
  }
}

async function encoderPart(): Promise<void> {
  const fp32 = join(root, 'native-models', 'ls-vit-tiny');
  loadModelFolder(fp32);
  const models: [string, string | null][] = [
    ['fp32', fp32],
    ['int8', int8Model(fp32)],
  ];
  for (const [precision, dir] of models) {
    if (!dir) continue;
    for (const batch of [64, 256])
      for (const providers of [['cuda'], ['cpu']]) {
        if (left() < 150_000) {
          notes.push(`encoder: stopped early to leave time for the scatter (${precision} batch ${batch} ${providers})`);
          return;
        }
        try {
          const r = await throughput(dir, providers, batch, providers[0] === 'cuda' ? 8 : 6);
          (results.encoder as unknown[]).push({ precision, ...r });
          console.error(`encoder ${precision} ${providers} batch ${batch}: ${(r.imagesPerSecond as number).toFixed(0)} img/s on ${r.provider}`);
        } catch (e) {
          (results.encoder as unknown[]).push({ precision, requested: providers.join(','), batch, error: (e as Error).message });
        }
        save();
      }
  }
}

const GPU_FLAG_SETS = [
  ['--use-angle=vulkan', '--enable-features=Vulkan', '--ignore-gpu-blocklist', '--enable-gpu-rasterization'],
  ['--use-gl=angle', '--use-angle=gl-egl', '--ignore-gpu-blocklist'],
  ['--use-gl=egl', '--ignore-gpu-blocklist'],
];

async function scatterPart(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ls-gpu-ui-'));
  await build({
    root: join(root, 'renderer', 'bench'),
    base: './',
    logLevel: 'warn',
    configFile: false,
    plugins: [svelte()],
    build: { outDir: dir, emptyOutDir: true, rollupOptions: { input: join(root, 'renderer', 'bench', 'ui-bench.html') } },
  });
  const server = createServer((req, res) => void serveStatic(dir, req, res));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ui-bench.html`;
  try {
    for (const flags of GPU_FLAG_SETS) {
      if (left() < 30_000) break;
      const browser = await chromium.launch({
        executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
        args: ['--no-first-run', '--disable-background-networking', ...flags],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
        const renderer = (await page.evaluate(`(() => {
          const gl = document.createElement('canvas').getContext('webgl2');
          const ext = gl && gl.getExtension('WEBGL_debug_renderer_info');
          return gl ? String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER)) : 'no WebGL2';
        })()`)) as string;
        if (/swiftshader|llvmpipe|software|no webgl/i.test(renderer)) {
          notes.push(`flags ${flags.join(' ')}: ${renderer} (not a GPU), next`);
          continue;
        }
        for (const n of [1_000_000, 10_000_000]) {
          if (left() < 25_000) {
            notes.push(`scatter ${n}: not run (time budget)`);
            break;
          }
          await page.goto(`${base}?view=scatter&n=${n}`);
          await page.waitForFunction('window.benchReady === true', undefined, { timeout: Math.min(90_000, left() - 10_000) });
          await page.evaluate('window.measurePan(1500)');
          const fps = (await page.evaluate('window.measurePan(5000)')) as number;
          (results.scatter as unknown[]).push({ points: n, framesPerSecond: fps, viewport: '1600x1000', renderer, flags });
          console.error(`scatter ${n}: ${fps.toFixed(1)} frames/s (${renderer})`);
          save();
        }
        return;
      } catch (e) {
        notes.push(`flags ${flags.join(' ')}: ${(e as Error).message.split('\n')[0]}`);
      } finally {
        await browser.close();
      }
    }
  } finally {
    server.close();
  }
}

try {
  await encoderPart();
} catch (e) {
  notes.push(`encoder part failed: ${(e as Error).message}`);
}
try {
  await scatterPart();
} catch (e) {
  notes.push(`scatter part failed: ${(e as Error).message}`);
}
results.seconds = (Date.now() - t0) / 1000;
save();
console.error(`wrote ${out}`);
