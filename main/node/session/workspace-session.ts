/**
 * Everything the engine holds for one open workspace, owned in one place:
 * the Workspace (SQLite, files), per-workspace caches (views, columns, the
 * memory-mapped index) and the ONNX sessions of patch-token overlays.
 * dispose() releases all of it; the engine disposes the session when another
 * workspace is opened or the engine closes.
 */
import { PatchTokenService } from '../encoder/patch-tokens';
import type { Workspace } from '../workspace/workspace';

export class WorkspaceSession {
  #cache = new Map<string, unknown>();
  #patches = new Map<string, PatchTokenService>();
  #disposed = false;

  constructor(readonly ws: Workspace) {}

  get disposed(): boolean {
    return this.#disposed;
  }

  /** a value computed once for this workspace (until invalidate) */
  cached<T>(key: string, make: () => T): T {
    if (!this.#cache.has(key)) this.#cache.set(key, make());
    return this.#cache.get(key) as T;
  }

  invalidate(prefix: string): void {
    for (const k of [...this.#cache.keys()]) if (k.startsWith(prefix)) this.#cache.delete(k);
  }

  /** the patch-token service (encoder session opened on first use, tokens cached on disk) of a model folder */
  patchTokens(modelDir: string): PatchTokenService {
    let p = this.#patches.get(modelDir);
    if (!p) this.#patches.set(modelDir, (p = new PatchTokenService(this.ws, modelDir)));
    return p;
  }

  /** resources held that dispose() releases: open encoder sessions and cached values */
  openHandles(): { encoders: number; cached: number; workspace: boolean } {
    return { encoders: [...this.#patches.values()].filter((p) => p.isOpen).length, cached: this.#cache.size, workspace: !this.ws.isClosed };
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#cache.clear();
    const patches = [...this.#patches.values()];
    this.#patches.clear();
    this.ws.close();
    await Promise.all(patches.map((p) => p.close()));
  }
}
