/**
 * Loads runtime.ts from the sources through tsx (the same loader as
 * main/cli/bin.mjs). `appRoot` is the repository root in development and
 * app.getAppPath() when packaged (sources are shipped, see electron-builder.yml).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ShellRuntime, RuntimeOptions } from './runtime';

export async function loadRuntime(appRoot: string, options: RuntimeOptions): Promise<ShellRuntime> {
  const { register } = await import('tsx/esm/api');
  register();
  const mod = (await import(pathToFileURL(join(appRoot, 'main', 'electron', 'runtime.ts')).href)) as typeof import('./runtime');
  return new mod.ShellRuntime(options);
}
