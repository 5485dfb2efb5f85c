/** Shared setup for the encoder tests: synthetic workspaces, the CLI, fixture paths. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { surveyObject, resolveOptions } from '@app/synth';
import { Workspace } from '@main/node/workspace';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixtures = join(root, 'tests', 'fixtures', 'models');
export const tinyModel = join(fixtures, 'tiny');
export const bin = join(root, 'main', 'cli', 'bin.mjs');

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `ls-enc-${prefix}-`));
}

/** A workspace holding `count` objects of the synthetic survey (g,r,z, 64x64, f32 so values are exact); `edit` may alter pixels. */
export function makeWorkspace(dir: string, count: number, seed = 11, edit?: (idx: number, pixels: Float32Array) => void): string {
  const opts = resolveOptions({ count, seed, size: 64 });
  const ws = Workspace.create(dir, { name: 'enc-test', cutout: { bands: ['g', 'r', 'z'], size: 64, pixscale: 0.262, unit: 'nanomaggies', dtype: 'f32' } });
  try {
    for (let s = 0; s < count; s += 100) {
      const items = [];
      for (let i = s; i < Math.min(count, s + 100); i++) {
        const it = surveyObject(opts, i);
        edit?.(i, it.cutout.data);
        items.push({ object: it.object, cutout: it.cutout });
      }
      ws.addObjects(items);
    }
  } finally {
    ws.close();
  }
  return dir;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `latent-sky ARGS` in a child process (the real CLI). */
export function cli(args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function cliAsync(args: string[], env: Record<string, string> = {}) {
  return spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}
