/** Builds the renderer with vite when out/renderer/index.html is missing (fresh clone). */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
export const rendererOut = join(repoRoot, 'out', 'renderer');

export async function ensureRendererBuilt(opts: { force?: boolean; log?: (l: string) => void } = {}): Promise<string> {
  if (!opts.force && existsSync(join(rendererOut, 'index.html'))) return rendererOut;
  opts.log?.('building the renderer (vite build)…');
  const { build } = await import('vite');
  await build({ configFile: join(repoRoot, 'renderer', 'vite.config.ts'), logLevel: 'warn' });
  return rendererOut;
}
