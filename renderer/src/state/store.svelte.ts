/**
 * The renderer's state, one object per concern, created once the engine is
 * reachable and shared with every component through Svelte context.
 */
import { getContext, setContext } from 'svelte';
import type { Api } from '../api/client';
import { CutoutCache } from '../api/cutout-cache';
import { PointColours } from './colouring.svelte';
import { Errors } from './errors.svelte';
import { Jobs } from './jobs.svelte';
import { ModelsState } from './models.svelte';
import { IngestState } from './ingest.svelte';
import { SampState } from './samp.svelte';
import { SearchState } from './search.svelte';
import { Selection } from './selection.svelte';
import { Session } from './session.svelte';
import { VettingState } from './vetting.svelte';
import { ViewSettings } from './view.svelte';
import { Filters } from './filters.svelte';
import { DrawOrder } from './draw-order.svelte';

export class Store {
  readonly errors = new Errors();
  readonly view = new ViewSettings();
  readonly selection = new Selection();
  readonly jobs: Jobs;
  readonly session: Session;
  readonly search: SearchState;
  readonly vetting: VettingState;
  readonly colours: PointColours;
  readonly cutouts: CutoutCache;
  readonly samp: SampState;
  readonly models: ModelsState;
  readonly ingest: IngestState;
  readonly filters: Filters;
  readonly drawn: DrawOrder;

  constructor(readonly api: Api) {
    this.jobs = new Jobs(api);
    this.cutouts = new CutoutCache(api);
    this.session = new Session(api, this.errors);
    this.search = new SearchState(api, this.errors);
    this.vetting = new VettingState(api, this.errors);
    this.colours = new PointColours(this.session, this.search, this.view);
    this.filters = new Filters(this.session, this.errors);
    this.drawn = new DrawOrder(() => this.session.count, this.filters, this.search, this.view);
    this.samp = new SampState(api, this.errors);
    this.models = new ModelsState(api, this.errors);
    this.ingest = new IngestState(api, this.errors, this.jobs);
    api.onEvent((e) => {
      if (e.type === 'job') {
        this.jobs.update(e.job);
        if (e.job.state === 'failed' && e.job.error) this.errors.report(e.job.error);
      } else if (e.type === 'workspace') void this.#loadWorkspace(e.info);
      else if (e.type === 'index') this.session.patchIndex(e.model, e.index);
      else if (e.type === 'projection') void this.session.projectionReady(e.model, e.method).then(() => this.#chooseProjection(), this.errors.report);
      else if (e.type === 'objects') void this.api.workspace.info({}).then((i) => this.#loadWorkspace(i), this.errors.report);
      else if (e.type === 'labels') this.search.applyLabels(e.search, e.indices, e.label);
      else if (e.type === 'probe') this.search.roundRecorded(e.search, e.round);
      else if (e.type === 'samp') this.samp.status = e.status;
      else if (e.type === 'sampTable') {
        if (e.error) this.errors.report({ ...e.error, message: `table from ${e.sender}: ${e.error.message}` });
        else this.samp.receivedTable(e.sender, e.table);
      } else if (e.type === 'sampSelection') {
        // another VO tool selected rows of a table we share: select those objects in every view
        const mine = e.indices.filter((i) => i < this.session.count);
        this.samp.incomingSelection(e.sender, mine.length);
        this.selection.pick(mine);
      } else if (e.type === 'sampObject' && e.idx < this.session.count) {
        // another VO tool pointed at one of our objects: select it in every view
        this.samp.received(e);
        this.selection.inspect(e.idx);
      }
    });
  }

  async start(): Promise<void> {
    await this.jobs.refresh();
    await this.samp.refresh().catch(this.errors.report);
    await this.models.refresh().catch(this.errors.report);
    await this.#loadWorkspace(await this.api.workspace.info({}));
  }

  async #loadWorkspace(info: Awaited<ReturnType<Api['workspace']['info']>>): Promise<void> {
    if (info && !this.session.needsReload(info)) {
      // same workspace, same objects, same model: only the summary changed
      this.session.replaceInfo(info);
      return;
    }
    const prev = this.session.info;
    if (!info || prev?.path !== info.path || prev.count !== info.count) {
      // another workspace (or its objects changed): drop what referred to the old one
      this.cutouts.clear();
      this.selection.inspect(null);
      this.selection.pick(new Int32Array(0));
      this.samp.dismissTable();
      if (prev?.path !== info?.path) {
        this.search.reset();
        this.vetting.reset();
      }
    }
    await this.session.load(info);
    await this.filters.restore(info?.path ?? null);
    if (!info) return;
    if (!info.truthClasses.length && this.view.colourBy === 'truth') this.view.colourBy = 'label';
    this.#chooseProjection();
    await this.search.refresh(info.path).catch(this.errors.report);
    await this.vetting.refresh().catch(this.errors.report);
  }

  /** the projection to show: the chosen one when there, else UMAP, else the first */
  #chooseProjection(): void {
    const info = this.session.info;
    const v = this.view;
    if (info?.projections.length && (!v.projectionChosen || !info.projections.includes(v.projection))) {
      v.projection = info.projections.includes('umap') ? 'umap' : info.projections[0];
    }
  }
}

const KEY = Symbol('latent-sky-store');
export const provideStore = (s: Store) => setContext(KEY, s);
export const useStore = (): Store => getContext<Store>(KEY);
