/**
 * Everything the engine holds for one open workspace, owned in one place:
 * the Workspace (SQLite, files), per-workspace caches (views, columns, the
 * memory-mapped index) and the ONNX sessions of patch-token overlays, and
 * the watch for labels other processes write (session/label-watch.ts).
 * dispose() releases all of it; the engine disposes the session when another
 * workspace is opened or the engine closes.
 */
import type { EngineEvent } from '@app/contracts';
import { PatchTokenService } from '../encoder/patch-tokens';
import type { Workspace } from '../workspace/workspace';
import { watchExternalLabels } from './label-watch';

export interface SessionOptions {
  /** where the label deltas of other processes' writes go (none: not watched) */
  emit?: (e: EngineEvent) => void;
  /** how often to look for them, ms (default session/label-watch.ts LABEL_WATCH_MS) */
  watchMs?: number;
}

/** a cached value that holds a native resource: released on invalidate and dispose */
export interface Releasable {
  release(): void;
}

const isReleasable = (v: unknown): v is Releasable => typeof (v as Releasable | null)?.release === 'function';

export class WorkspaceSession {
  #cache = new Map<string, unknown>();
  #patches = new Map<string, PatchTokenService>();
  #disposed = false;
  #unwatch: (() => void) | null = null;

  constructor(
    readonly ws: Workspace,
    opts: SessionOptions = {},
  ) {
    if (opts.emit) this.#unwatch = watchExternalLabels(ws, opts.emit, opts.watchMs);
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** a value computed once for this workspace (until invalidate) */
  cached<T>(key: string, make: () => T): T {
    if (!this.#cache.has(key)) this.#cache.set(key, make());
    return this.#cache.get(key) as T;
  }

  invalidate(prefix: string): void {
    for (const [k, v] of [...this.#cache]) {
      if (!k.startsWith(prefix)) continue;
      this.#cache.delete(k);
      if (isReleasable(v)) v.release();
    }
  }

  /** the patch-token service (encoder session opened on first use, tokens cached on disk) of a model folder */
  patchTokens(modelDir: string): PatchTokenService {
    let p = this.#patches.get(modelDir);
    if (!p) this.#patches.set(modelDir, (p = new PatchTokenService(this.ws, modelDir)));
    return p;
  }

  /** resources held that dispose() releases: open encoder sessions and cached values */
  openHandles(): { encoders: number; cached: number; workspace: boolean; watching: boolean } {
    return {
      encoders: [...this.#patches.values()].filter((p) => p.isOpen).length,
      cached: this.#cache.size,
      workspace: !this.ws.isClosed,
      watching: this.#unwatch !== null,
    };
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#unwatch?.();
    this.#unwatch = null;
    this.invalidate('');
    const patches = [...this.#patches.values()];
    this.#patches.clear();
    this.ws.close();
    await Promise.all(patches.map((p) => p.close()));
  }
}
