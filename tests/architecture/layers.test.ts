/**
 * The layering rules of ../shared/DESIGN.md, checked on every source file:
 *   app            imports only app (and pure npm packages: no node:*, electron, DOM-only libs)
 *   main/node      imports app, main/node, Node and npm packages; never electron
 *   main/cli       like main/node (plus main/cli, main/devhost)
 *   main/devhost   like main/node
 *   main/electron  imports app, main and electron
 *   main/preload   imports electron and type-only app/contracts
 *   renderer       imports app and renderer; never main, Node or electron
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALIASES, importsOf, repoTarget, type Import } from '../helpers/imports';

const root = resolve(__dirname, '..', '..');
const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
/** npm packages that touch Node, the DOM or native code: not allowed in app/ */
const impureInApp = [
  'electron',
  'better-sqlite3',
  'onnxruntime-node',
  'usearch',
  'ws',
  'h5wasm',
  'pngjs',
  'tsx',
  'three',
  '@deck.gl',
  'svelte',
  'umap-js',
  'playwright-core',
];

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    // *.config.ts files are build tooling that runs in Node (vite), not layer code
    else if (/\.(ts|mts|svelte|mjs)$/.test(name) && !name.endsWith('.d.ts') && !name.endsWith('.config.ts')) out.push(p);
  }
  return out;
}

type Layer = 'app' | 'main/node' | 'main/cli' | 'main/devhost' | 'main/electron' | 'main/preload' | 'renderer' | 'other';

function layerOf(file: string): Layer {
  const r = relative(root, file).split(sep).join('/');
  if (r.startsWith('app/')) return 'app';
  for (const l of ['main/node', 'main/cli', 'main/devhost', 'main/electron', 'main/preload'] as const) if (r.startsWith(l + '/')) return l;
  if (r.startsWith('renderer/')) return 'renderer';
  return 'other';
}

function violation(file: string, imp: Import): string | null {
  const layer = layerOf(file);
  const rel = repoTarget(root, file, imp.spec);
  const target: Layer | 'npm' | 'node' = rel ? layerOf(join(root, rel)) : nodeBuiltins.has(imp.spec) ? 'node' : 'npm';
  const pkg = rel ? '' : imp.spec;
  const isElectron = pkg === 'electron';
  switch (layer) {
    case 'app':
      if (target === 'node') return 'app/ must not import Node built-ins';
      if (target === 'npm' && impureInApp.some((p) => pkg === p || pkg.startsWith(p + '/'))) return `app/ must stay pure: no '${pkg}'`;
      if (rel && target !== 'app') return 'app/ imports only app/';
      return null;
    case 'main/node':
    case 'main/cli':
    case 'main/devhost':
      if (isElectron) return `${layer} must not import electron (keep it testable in plain Node)`;
      if (rel && (target === 'renderer' || target === 'main/electron' || target === 'main/preload')) return `${layer} must not import ${target}`;
      if (layer === 'main/node' && rel && (target === 'main/cli' || target === 'main/devhost')) return `main/node must not import ${target}`;
      return null;
    case 'main/electron':
      if (rel && (target === 'renderer' || target === 'main/preload')) return `main/electron must not import ${target}`;
      return null;
    case 'main/preload':
      if (target === 'node') return 'preload must not import Node built-ins';
      if (target === 'npm' && !isElectron) return 'preload imports only electron';
      if (rel && !(rel.startsWith('app/contracts') && imp.typeOnly) && target !== 'main/preload') return 'preload may import app/contracts type-only';
      return null;
    case 'renderer':
      if (target === 'node') return 'renderer must not import Node built-ins';
      if (isElectron) return 'renderer must not import electron';
      if (rel && target !== 'renderer' && target !== 'app') return `renderer must not import ${target}`;
      return null;
    default:
      return null;
  }
}

describe('layering rules (../shared/DESIGN.md)', () => {
  const files = ['app', 'main', 'renderer'].flatMap((d) => {
    try {
      return walk(join(root, d));
    } catch {
      return [];
    }
  });

  it('finds the source files', () => {
    expect(files.some((f) => layerOf(f) === 'app')).toBe(true);
    expect(files.some((f) => layerOf(f) === 'main/node' || layerOf(f) === 'main/cli')).toBe(true);
  });

  it('every import respects its layer', () => {
    const bad: string[] = [];
    for (const f of files) {
      for (const imp of importsOf(readFileSync(f, 'utf8'))) {
        const why = violation(f, imp);
        if (why) bad.push(`${relative(root, f)}:${imp.line} imports '${imp.spec}': ${why}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('an import that leaves its top-level folder uses an alias (@app/…), not ../../../', () => {
    const bad: string[] = [];
    for (const f of [...files, ...walk(join(root, 'tests'))]) {
      const top = relative(root, f).split(sep)[0];
      for (const imp of importsOf(readFileSync(f, 'utf8'))) {
        if (!imp.spec.startsWith('.')) continue;
        const target = repoTarget(root, f, imp.spec)!;
        const to = target.split('/')[0];
        if (to !== top && (ALIASES as readonly string[]).includes(to)) bad.push(`${relative(root, f)}:${imp.line} imports '${imp.spec}'`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the checker itself catches violations', () => {
    const fake = (layer: string, spec: string, typeOnly = false) => violation(join(root, layer, 'x.ts'), { spec, typeOnly, line: 1 });
    expect(fake('app/fits', 'node:fs')).not.toBeNull();
    expect(fake('app/fits', '../../main/node/x')).not.toBeNull();
    expect(fake('app/fits', 'fflate')).toBeNull();
    expect(fake('main/node/ws', 'electron')).not.toBeNull();
    expect(fake('renderer/src', '../../main/node/x')).not.toBeNull();
    expect(fake('renderer/src', 'node:path')).not.toBeNull();
    expect(fake('main/preload', '../../app/contracts/api', true)).toBeNull();
    expect(fake('main/preload', '../../app/contracts/api', false)).not.toBeNull();
    expect(importsOf("import type { A } from '../x';\nconst m = await import('node:fs');")).toEqual([
      { spec: '../x', typeOnly: true, line: 1 },
      { spec: 'node:fs', typeOnly: false, line: 2 },
    ]);
  });
});
