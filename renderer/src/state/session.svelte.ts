import type { ClassColumn, NumericColumn, Positions, ProjectionMethod, WorkspaceInfo } from '../../../app/contracts';
import type { Api } from '../api/client';
import type { Errors } from './errors.svelte';

/** The open workspace's columns as the views need them (typed arrays, never proxied). */
export class Session {
  info = $state<WorkspaceInfo | null>(null);
  positions = $state.raw<Positions | null>(null);
  truth = $state.raw<ClassColumn | null>(null);
  /** keyed by projection method */
  projections = $state.raw<Partial<Record<ProjectionMethod, Float32Array>>>({});
  numeric = $state.raw<Record<string, NumericColumn>>({});
  loading = $state(false);
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
