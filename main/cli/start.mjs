#!/usr/bin/env node
// `npm start`: the desktop app when the Electron binary is installed (building
// out/ first when it is missing or older than the sources), else the same job
// headless: create the demo workspace with `latent-sky demo`, then point at the
// browser version (`latent-sky serve --demo`). Extra arguments go to Electron
// (e.g. `npm start -- --workspace DIR`); without them it opens the demo workspace.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);

function electronBinary() {
  try {
    const p = createRequire(import.meta.url)('electron');
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null; // node_modules/electron throws when its binary was not downloaded
  }
}

function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(p).map((n) => newestMtime(join(p, n))));
}

function outIsStale() {
  const outputs = ['out/main/index.js', 'out/renderer/index.html'].map((p) => join(root, p));
  const preload = ['index.cjs', 'index.mjs'].map((f) => join(root, 'out', 'preload', f)).find((p) => existsSync(p));
  if (!preload || outputs.some((p) => !existsSync(p))) return true;
  const built = Math.min(...[...outputs, preload].map((p) => statSync(p).mtimeMs));
  const sources = ['main/electron', 'main/preload', 'renderer/src', 'renderer/index.html', 'app/contracts', 'electron.vite.config.ts'];
  return sources.some((s) => newestMtime(join(root, s)) > built);
}

const run = (cmd, argv) => spawnSync(cmd, argv, { cwd: root, stdio: 'inherit' }).status ?? 1;

const electron = electronBinary();
if (electron) {
  if (outIsStale()) {
    console.log('building the app (electron-vite build)…');
    const rc = run(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
    if (rc !== 0) process.exit(rc);
  }
  process.exit(run(electron, [join(root, 'out', 'main', 'index.js'), ...(args.length ? args : ['--demo'])]));
} else {
  console.log('Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD=1?): running the same job headless');
  const cli = join(root, 'main', 'cli', 'bin.mjs');
  const rc = run(process.execPath, [cli, 'demo', ...args]);
  const ws = args.length ? 'WORKSPACE' : 'demo-ws';
  console.log(`\nExplore it in a web browser on this machine: npx latent-sky serve ${ws} --open   (or: npx latent-sky serve --demo)`);
  process.exit(rc);
}
