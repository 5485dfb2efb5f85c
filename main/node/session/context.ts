/**
 * What every service of the engine shares: the open workspace's session
 * (session/workspace-session.ts: the workspace, its caches and encoder
 * sessions, disposed when another workspace is opened), the event bus and
 * the job runner.
 */
import { AppError } from '@app/core/errors';
import type { WorkspaceInfo } from '@app/contracts';
import type { SampClientOptions } from '../samp/client';
import { WorkspaceSession } from './workspace-session';
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
  /** how often the open workspace is checked for labels other processes wrote, ms (0: not checked; default 250) */
  labelWatchMs?: number;
  /** CDS Sesame's base URL for online name resolution (tests point it at a local peer) */
  sesameUrl?: string;
}

export class EngineContext {
  #session: WorkspaceSession | null = null;

  constructor(
    readonly options: EngineOptions,
    readonly bus: EventBus,
    readonly jobs: JobRunner,
  ) {}

  get open(): Workspace | null {
    return this.#session?.ws ?? null;
  }

  /** the open workspace's session, null when none is open */
  get session(): WorkspaceSession | null {
    return this.#session;
  }

  /** the open workspace; WORKSPACE_INVALID when none is open */
  ws(): Workspace {
    if (!this.#session) throw new AppError('WORKSPACE_INVALID', 'no workspace is open: open one or create the demo');
    return this.#session.ws;
  }

  /** switches to `ws` (or none); the previous session is disposed (the promise settles when its resources are released) */
  setWorkspace(ws: Workspace | null): Promise<void> {
    const old = this.#session;
    if (old && old.ws === ws) {
      old.invalidate('');
      return Promise.resolve();
    }
    const watch = this.options.labelWatchMs !== 0;
    this.#session = ws ? new WorkspaceSession(ws, { emit: watch ? (e) => this.bus.emit(e) : undefined, watchMs: this.options.labelWatchMs }) : null;
    return old ? old.dispose() : Promise.resolve();
  }

  /** a value computed once per open workspace (until invalidate(key)) */
  cached<T>(key: string, make: () => T): T {
    return this.#session ? this.#session.cached(key, make) : make();
  }

  invalidate(prefix: string): void {
    this.#session?.invalidate(prefix);
  }

  /** tells every client that the workspace changed (new embeddings, projections, ...) */
  announce(info: WorkspaceInfo | null): void {
    this.bus.emit({ type: 'workspace', info });
  }
}
