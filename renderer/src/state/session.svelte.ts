import type { ClassColumn, IndexInfo, NumericColumn, Positions, ProjectionMethod, WorkspaceInfo } from '@app/contracts';
import type { Api } from '../api/client';
import type { Errors } from './errors.svelte';

/**
 * The open workspace's columns as the views need them (typed arrays, never
 * proxied). load() fetches every column (another workspace, new objects,
 * another active model); the engine's delta events patch the rest.
 */
export class Session {
  info = $state<WorkspaceInfo | null>(null);
  positions = $state.raw<Positions | null>(null);
  truth = $state.raw<ClassColumn | null>(null);
  /** keyed by projection method */
  projections = $state.raw<Partial<Record<ProjectionMethod, Float32Array>>>({});
  numeric = $state.raw<Record<string, NumericColumn>>({});
  loading = $state(false);
  /** full column loads so far (one per workspace opened) */
  columnLoads = 0;
  #api: Api;
  #errors: Errors;

  constructor(api: Api, errors: Errors) {
    this.#api = api;
    this.#errors = errors;
  }

  get count(): number {
    return this.info?.count ?? 0;
  }

  async load(info: WorkspaceInfo | null): Promise<void> {
    this.info = info;
    this.projections = {};
    this.numeric = {};
    this.truth = null;
    this.positions = null;
    if (!info) return;
    this.columnLoads++;
    this.loading = true;
    try {
      this.positions = await this.#api.catalog.positions({});
      if (info.truthClasses.length) this.truth = await this.#api.catalog.classes({ column: 'truth' });
      for (const m of info.projections) await this.loadProjection(m);
    } catch (e) {
      this.#errors.report(e);
    } finally {
      this.loading = false;
    }
  }

  /** whether `info` needs the columns reloaded, rather than only the summary replaced */
  needsReload(info: WorkspaceInfo | null): boolean {
    const have = this.info;
    return !info || !have || have.path !== info.path || have.count !== info.count || have.activeModel !== info.activeModel;
  }

  /** the summary changed but the columns did not (index state, models list) */
  replaceInfo(info: WorkspaceInfo): void {
    this.info = info;
  }

  /** delta: the active model's index changed state */
  patchIndex(model: string, index: IndexInfo): void {
    if (this.info?.activeModel === model) this.info = { ...this.info, index, hasIndex: index.state === 'ready' };
  }

  /** delta: a projection of the active model is ready; fetch that one column */
  async projectionReady(model: string, method: ProjectionMethod): Promise<void> {
    const info = this.info;
    if (info?.activeModel !== model) return;
    await this.loadProjection(method);
    if (this.info === info && !info.projections.includes(method)) this.info = { ...info, projections: [...info.projections, method] };
  }

  async loadProjection(method: ProjectionMethod): Promise<void> {
    const p = await this.#api.embeddings.projection({ method });
    this.projections = { ...this.projections, [method]: p.xy };
  }

  async loadNumeric(name: string): Promise<NumericColumn> {
    const have = this.numeric[name];
    if (have) return have;
    const col = await this.#api.catalog.numeric({ column: name });
    this.numeric = { ...this.numeric, [name]: col };
    return col;
  }
}
