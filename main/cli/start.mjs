#!/usr/bin/env node
// `npm start`: the desktop app when the Electron binary is installed (building
// out/ first when it is missing or older than the sources), else the same job
// headless: create the demo workspace with `latent-sky demo`, then point at the
// browser version (`latent-sky serve --demo`). Extra arguments go to Electron
// (e.g. `npm start -- --workspace DIR`); without them it opens the demo workspace.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
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
  const outputs = ['out/main/index.js', 'out/main/engine-host.js', 'out/renderer/index.html'].map((p) => join(root, p));
  const preload = ['index.cjs', 'index.mjs'].map((f) => join(root, 'out', 'preload', f)).find((p) => existsSync(p));
  if (!preload || outputs.some((p) => !existsSync(p))) return true;
  const built = Math.min(...[...outputs, preload].map((p) => statSync(p).mtimeMs));
  // the engine host (out/main/engine-host.js) bundles main/node and app as well
  const sources = ['main/electron', 'main/preload', 'main/node', 'app', 'renderer/src', 'renderer/index.html', 'electron.vite.config.ts'];
  return sources.some((s) => newestMtime(join(root, s)) > built);
}

const run = (cmd, argv, env = process.env, cwd = root) => spawnSync(cmd, argv, { cwd, env, stdio: 'inherit' }).status ?? 1;

/**
 * better-sqlite3 is not N-API: the copy in node_modules is built for Node (the CLI and tests use it).
 * Electron gets its own build, made once in .cache/ with node-gyp against Electron's headers (needs a C++
 * toolchain and the network), and passed to the engine as LATENT_SKY_SQLITE_BINDING (nativeBinding).
 * Packaged apps do not need this: electron-builder rebuilds native modules for Electron.
 */
function electronSqliteBinding() {
  const version = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  const dir = join(root, '.cache', 'electron-sqlite', `${version}-${process.platform}-${process.arch}`);
  const binding = join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return binding;
  console.log(`building better-sqlite3 for Electron ${version} (once, into ${dir})…`);
  const pkg = join(root, 'node_modules', 'better-sqlite3');
  cpSync(pkg, dir, { recursive: true, filter: (src) => !(dirname(src) === pkg && basename(src) === 'build') });
  const gyp = join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  const rc = run(
    process.execPath,
    [gyp, 'rebuild', '--release', `--target=${version}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'],
    process.env,
    dir,
  );
  if (rc !== 0 || !existsSync(binding)) {
    console.error('latent-sky: could not build better-sqlite3 for Electron (it needs a C++ toolchain and the network for the Electron headers)');
    process.exit(1);
  }
  return binding;
}

const electron = electronBinary();
if (electron) {
  if (outIsStale()) {
    console.log('building the app (electron-vite build)…');
    const rc = run(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build']);
    if (rc !== 0) process.exit(rc);
  }
  const env = { ...process.env, LATENT_SKY_SQLITE_BINDING: electronSqliteBinding() };
  process.exit(run(electron, [join(root, 'out', 'main', 'index.js'), ...(args.length ? args : ['--demo'])], env));
} else {
  console.log('Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD=1?): running the same job headless');
  const cli = join(root, 'main', 'cli', 'bin.mjs');
  const rc = run(process.execPath, [cli, 'demo', ...args]);
  const ws = args.length ? 'WORKSPACE' : 'demo-ws';
  console.log(`\nExplore it in a web browser on this machine: npx latent-sky serve ${ws} --open   (or: npx latent-sky serve --demo)`);
  process.exit(rc);
}
