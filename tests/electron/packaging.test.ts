/**
 * Packaging config and build, without the Electron binary: electron-builder's
 * own loader and schema validator accept electron-builder.yml and every file
 * it references exists; `electron-vite build` builds the main process and the
 * preload (into a temp folder), and the bundles import only what they may.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
/** file patterns, whether electron-builder normalised them into { filter } sets or not */
const patterns = (files: (string | { filter?: string[] })[]) => files.flatMap((f) => (typeof f === 'string' ? [f] : f.filter ?? []));
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
    for (const [p, dir] of [['linux', 'linux'], ['win', 'win32'], ['mac', 'darwin']]) expect(patterns(config[p].files).join(' ')).toContain(`/${dir}/\${arch}/**`);
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
  it('builds main and preload; the bundles import only electron, node: and tsx', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ls-evbuild-'));
    await promisify(execFile)(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--outDir', out], { cwd: root, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }, maxBuffer: 1 << 24 });
    const mainJs = join(out, 'main', 'index.js');
    const preload = ['index.cjs', 'index.mjs'].map((f) => join(out, 'preload', f)).find(existsSync);
    expect(existsSync(mainJs)).toBe(true);
    expect(preload).toBeDefined();
    expect(existsSync(join(out, 'renderer', 'index.html'))).toBe(true);
    const specs = (src: string) => [...src.matchAll(/(?:from\s*|import\(\s*|require\(\s*)["']([^"']+)["']/g)].map((m) => m[1]);
    const main = readFileSync(mainJs, 'utf8');
    for (const s of specs(main)) expect(s === 'electron' || s.startsWith('node:') || s === 'tsx/esm/api', s).toBe(true);
    expect(main).not.toContain('class Engine'); // the engine is loaded from the sources at runtime
    const pre = readFileSync(preload!, 'utf8');
    expect(specs(pre).filter((s) => s !== 'electron')).toEqual([]);
    expect(pre).toContain('latent-sky:invoke');
    expect(pre).toContain('exposeInMainWorld("latentSky"');
  });
});
