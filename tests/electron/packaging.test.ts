/**
 * Packaging config and build, without the Electron binary: electron-builder's
 * own loader and schema validator accept electron-builder.yml and every file
 * it references exists; `electron-vite build` builds the main process and the
 * preload (into a temp folder), and the bundles import only what they may:
 * the Electron main bundle no native engine module, the engine host bundle
 * all of them; the bundled host then runs in plain Node.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '@main/node/workspace';
import { makeItems, SPEC } from '../workspace/make';
import { ControlClient } from './host-client';

const root = resolve(__dirname, '../..');

/** names of the worker modules main/node starts with spawnTsWorker (e.g. 'embed-worker') */
function workerNames(dir: string, out = new Set<string>()): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) workerNames(p, out);
    else if (e.name.endsWith('.ts')) for (const m of readFileSync(p, 'utf8').matchAll(/spawnTsWorker\(\s*new URL\('\.\/([\w-]+)\.ts'/g)) out.add(m[1]);
  }
  return [...out].sort();
}
/** file patterns, whether electron-builder normalised them into { filter } sets or not */
const patterns = (files: (string | { filter?: string[] })[]) => files.flatMap((f) => (typeof f === 'string' ? [f] : (f.filter ?? [])));
const require = createRequire(join(root, 'node_modules', 'electron-builder', 'package.json'));

describe('electron-builder.yml', () => {
  it('loads and passes electron-builder schema validation', async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config');
    const { DebugLogger } = require('builder-util/out/DebugLogger');
    const config = await getConfig(root, null, null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.productName).toBe('Latent Sky');
    expect([config.linux.target, config.win.target, config.mac.target]).toEqual(['AppImage', 'nsis', 'dmg']);
    for (const m of ['onnxruntime-node', 'usearch', 'better-sqlite3']) expect(config.asarUnpack).toContain(`node_modules/${m}/**`);
    expect(config.npmRebuild).toBe(true);
    // other platforms' onnxruntime binaries are excluded, each platform re-adds its own
    expect(patterns(config.files)).toContain('!node_modules/onnxruntime-node/bin/napi-v*/**');
    for (const [p, dir] of [
      ['linux', 'linux'],
      ['win', 'win32'],
      ['mac', 'darwin'],
    ])
      expect(patterns(config[p].files).join(' ')).toContain(`/${dir}/\${arch}/**`);
    await expect(validateConfiguration({ ...config, nonsense: 1 }, new DebugLogger(false))).rejects.toThrow(/unknown property 'nonsense'/);
  });

  it('references files that exist', async () => {
    const { getConfig } = require('app-builder-lib/out/util/config/config');
    const config = await getConfig(root, null, null);
    for (const p of [config.win.icon, config.mac.icon, config.linux.icon, config.extraResources[0].from]) expect(existsSync(join(root, p)), p).toBe(true);
    expect(existsSync(join(root, config.extraResources[0].from, 'manifest.json'))).toBe(true);
    const big = PNG.sync.read(readFileSync(join(root, config.mac.icon)));
    expect(big.width).toBeGreaterThanOrEqual(512); // icns / ico are derived from it
    const linuxIcons = readdirSync(join(root, config.linux.icon)).filter((f) => /^\d+x\d+\.png$/.test(f));
    for (const f of linuxIcons) {
      const n = Number(f.split('x')[0]);
      const png = PNG.sync.read(readFileSync(join(root, config.linux.icon, f)));
      expect([png.width, png.height], f).toEqual([n, n]);
    }
    expect(linuxIcons.length).toBeGreaterThanOrEqual(5);
  });
});

describe('electron-vite build', () => {
  const out = mkdtempSync(join(tmpdir(), 'ls-evbuild-'));
  const specs = (src: string) => [...src.matchAll(/(?:from\s*|import\(\s*|require\(\s*)["']([^"']+)["']/g)].map((m) => m[1]);
  /** every bare import of `entry` and the chunks it imports, transitively */
  const closure = (entry: string): Set<string> => {
    const bare = new Set<string>();
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const s of specs(readFileSync(file, 'utf8'))) {
        if (s.startsWith('./') || s.startsWith('../')) visit(resolve(dirname(file), s));
        else bare.add(s);
      }
    };
    visit(entry);
    return bare;
  };
  const NATIVE = ['better-sqlite3', 'onnxruntime-node', 'usearch'];

  beforeAll(async () => {
    await promisify(execFile)(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--outDir', out], {
      cwd: root,
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
      maxBuffer: 1 << 24,
    });
  }, 120_000);

  it('the main bundle imports no engine; the host bundle carries it; the preload imports only electron', () => {
    const mainJs = join(out, 'main', 'index.js');
    const preload = ['index.cjs', 'index.mjs'].map((f) => join(out, 'preload', f)).find(existsSync);
    expect(preload).toBeDefined();
    expect(existsSync(join(out, 'renderer', 'index.html'))).toBe(true);
    const shell = closure(mainJs);
    for (const s of shell) expect(s === 'electron' || s.startsWith('node:'), s).toBe(true);
    for (const m of NATIVE) expect(shell.has(m), m).toBe(false);
    expect(readFileSync(mainJs, 'utf8')).not.toContain('class Engine');
    expect(readFileSync(mainJs, 'utf8')).toContain('utilityProcess.fork');
    const host = closure(join(out, 'main', 'engine-host.js'));
    for (const m of NATIVE) expect(host.has(m), m).toBe(true);
    expect([...host].some((s) => s === 'electron' || s.startsWith('tsx'))).toBe(false);
    // every worker the engine starts (spawnTsWorker(new URL('./X.ts', ...)) in main/node) has its bundle
    const started = workerNames(join(root, 'main', 'node'));
    expect(started.length).toBeGreaterThanOrEqual(4);
    for (const w of started) {
      expect(existsSync(join(out, 'main', `${w}.js`)), w).toBe(true);
      expect(
        [...closure(join(out, 'main', `${w}.js`))].some((s) => s === 'electron' || s.startsWith('tsx')),
        w,
      ).toBe(false);
    }
    const pre = readFileSync(preload!, 'utf8');
    expect(specs(pre).filter((s) => s !== 'electron')).toEqual([]);
    expect(pre).toContain('latent-sky:hello');
    expect(pre).toContain('exposeInMainWorld("latentSky"');
  });

  it('the bundled host runs in plain Node (no tsx) and answers over a port', async () => {
    const t = mkdtempSync(join(tmpdir(), 'ls-bundled-host-'));
    const wsDir = join(t, 'ws');
    const ws = Workspace.create(wsDir, { name: 'bundled', cutout: { bands: SPEC.bands, size: SPEC.size, pixscale: SPEC.pixscale, unit: SPEC.unit } });
    ws.addObjects(makeItems(0, 25));
    ws.close();
    // the bundle cannot find native-models/ from out/main: main.ts sets this for the host, as here
    const env = {
      ...process.env,
      LATENT_SKY_HOME: join(t, 'home'),
      LATENT_SKY_MODELS_DIR: join(root, 'native-models'),
      SAMP_HUB: `std-lockurl:file://${join(t, 'no-lock')}`,
    };
    symlinkSync(join(root, 'node_modules'), join(out, 'node_modules')); // the externals, as beside the packaged out/
    const worker = new Worker(join(out, 'main', 'engine-host.js'), { env });
    try {
      const control = new ControlClient(worker, join(t, 'ud'));
      await control.ready;
      const client = control.connect();
      expect(await control.call('openChosen', wsDir)).toEqual({ ok: true, value: `opened ${wsDir}` });
      const pos = await client.invoke('catalog.positions', {});
      expect(pos.ok && pos.value.ra).toBeInstanceOf(Float32Array);
      expect(pos.ok && pos.value.ra.length).toBe(25);
      const bad = await client.invoke('nope.nope', {});
      expect(!bad.ok && bad.error.code).toBe('BAD_INPUT');
      // the demo pipeline through the bundled workers (synth, embed, projection): no .ts beside them, no tsx
      const demo = await client.invoke('workspace.createDemo', { path: join(t, 'home', 'demo'), count: 64, seed: 1 });
      expect(demo.ok).toBe(true);
      const ended = (await client.waitFor(
        (e) =>
          e.type === 'job' &&
          (e as { job: { kind: string; state: string } }).job.kind === 'demo' &&
          !['queued', 'running'].includes((e as { job: { state: string } }).job.state),
        60_000,
      )) as { job: { state: string; error: unknown } };
      expect([ended.job.state, ended.job.error]).toEqual(['done', null]);
      await client.waitFor((e) => e.type === 'projection' && (e as { method: string }).method === 'umap', 30_000);
      const info = await client.invoke('workspace.info', {});
      expect(info.ok && [info.value.count, info.value.models.length]).toEqual([64, 1]);
      const close = await control.call('close');
      expect(close.ok).toBe(true);
    } finally {
      await worker.terminate();
    }
  }, 90_000);
});
