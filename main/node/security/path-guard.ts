/**
 * Which folders a renderer (the Electron window, a dev-host browser tab, a
 * WebSocket client holding the token) may name in a contract call. The roots
 * are what the person chose outside the renderer: workspaces opened by the
 * host (command line, File menu, `serve WS`) or opened before (the recent
 * list), the Latent Sky home (demo workspaces), the models and state folders,
 * folders the host declares (EngineOptions.roots, `allow()` after a native
 * dialog) and LATENT_SKY_ALLOW_PATHS (path-list separated). A path is inside
 * a root when its real location is: symlinks are resolved on the nearest
 * existing ancestor, so neither `..` nor a link inside a root leads out.
 * The check runs where contract inputs are validated (ValidationContext.paths),
 * so the CLI — the person at the keyboard — is never limited by it.
 */
import { realpathSync } from 'node:fs';
import { basename, delimiter, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { AppError } from '@app/core/errors';

export const ALLOW_ENV = 'LATENT_SKY_ALLOW_PATHS';

/** the real location of `p`, also when its last segments do not exist yet */
export function realLocation(p: string): string {
  const abs = resolve(p);
  const rest: string[] = [];
  for (let cur = abs; ; cur = dirname(cur)) {
    try {
      return rest.length ? join(realpathSync.native(cur), ...rest.reverse()) : realpathSync.native(cur);
    } catch {
      if (dirname(cur) === cur) return abs;
      rest.push(basename(cur));
    }
  }
}

function inside(p: string, root: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}

export class PathGuard {
  readonly #roots = new Set<string>();

  /** `dynamic`: roots known elsewhere that may change (the recent list, the open workspace) */
  constructor(
    roots: Iterable<string>,
    private readonly dynamic: () => Iterable<string> = () => [],
    env: NodeJS.ProcessEnv = process.env,
  ) {
    for (const r of roots) this.allow(r);
    for (const r of (env[ALLOW_ENV] ?? '').split(delimiter)) if (r.trim() && isAbsolute(r.trim())) this.allow(r.trim());
  }

  /** a folder or file the person chose outside the renderer */
  allow(root: string): void {
    this.#roots.add(realLocation(root));
  }

  roots(): string[] {
    return [...new Set([...this.#roots, ...[...this.dynamic()].map(realLocation)])];
  }

  /** whether `p` (absolute) lies inside a root */
  permits(p: string): boolean {
    if (!isAbsolute(p) || p.includes('\0')) return false;
    const real = realLocation(p);
    return this.roots().some((r) => inside(real, r));
  }

  /** BAD_INPUT naming the field unless `p` lies inside a root */
  check(p: string, where: string, field: string): void {
    if (this.permits(p)) return;
    throw new AppError(
      'BAD_INPUT',
      `${where}: ${field} '${p.slice(0, 200)}' is outside the folders this session may use (choose it from the File menu, start the browser host with ` +
        `'serve --allow FOLDER', or list it in ${ALLOW_ENV})`,
    );
  }
}
