/**
 * What every service of the engine shares: the open workspace, the event
 * bus, the job runner and per-workspace caches (dropped when another
 * workspace is opened).
 */
import { AppError } from '../../../app/core/errors';
import type { WorkspaceInfo } from '../../../app/contracts';
import type { SampClientOptions } from '../samp/client';
import type { Workspace } from '../workspace/workspace';
import type { EventBus } from './events';
import type { JobRunner } from './jobs';

export interface EngineOptions {
  /** folder for app state (recent workspaces); e.g. ~/.config/latent-sky */
  stateDir: string;
  /** folder with model packages (native-models/<name>/) */
  modelsDir: string;
  /** folders and files the person chose outside the renderer; contract calls may name paths inside them (security/path-guard.ts) */
  roots?: string[];
  /** SAMP client options (tests point `env`/`home` at a private hub) */
  samp?: SampClientOptions & { matchRadiusDeg?: number };
}

export class EngineContext {
  #ws: Workspace | null = null;
  #cache = new Map<string, unknown>();

  constructor(readonly options: EngineOptions, readonly bus: EventBus, readonly jobs: JobRunner) {}

  get open(): Workspace | null {
    return this.#ws;
  }

  /** the open workspace; WORKSPACE_INVALID when none is open */
  ws(): Workspace {
    if (!this.#ws) throw new AppError('WORKSPACE_INVALID', 'no workspace is open: open one or create the demo');
    return this.#ws;
  }

  setWorkspace(ws: Workspace | null): void {
    if (this.#ws && this.#ws !== ws) this.#ws.close();
    this.#ws = ws;
    this.#cache.clear();
  }

  /** a value computed once per open workspace (until invalidate(key)) */
  cached<T>(key: string, make: () => T): T {
    if (!this.#cache.has(key)) this.#cache.set(key, make());
    return this.#cache.get(key) as T;
  }

  invalidate(prefix: string): void {
    for (const k of [...this.#cache.keys()]) if (k.startsWith(prefix)) this.#cache.delete(k);
  }

  /** tells every client that the workspace changed (new embeddings, projections, ...) */
  announce(info: WorkspaceInfo | null): void {
    this.bus.emit({ type: 'workspace', info });
  }
}
