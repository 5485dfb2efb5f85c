/**
 * "Add data": the form of the ingest dialog, the running ingest job and the
 * last ingest's report (reloaded whenever an ingest job ends).
 */
import type { JobInfo } from '@app/contracts';
import type { IngestOptions, IngestSource, IngestStartInput, IngestSummary } from '@app/contracts/ingest';
import type { Api } from '../api/client';
import type { Errors } from './errors.svelte';
import type { Jobs } from './jobs.svelte';

export const SOURCE_LABELS: Record<IngestSource, string> = {
  legacysurvey: 'Legacy Survey cutouts for a catalogue',
  folder: 'Folder of FITS / PNG / JPEG cutouts',
  hdf5: 'Multimodal Universe HDF5 file',
  embeddings: 'Embedding catalogue (vectors, no pixels)',
};

/** the option fields as bound to the inputs (number inputs give numbers, or null when empty); sent only when filled in */
type NumberField = string | number | null;
export interface OptionFields {
  layer: string;
  pixscale: NumberField;
  size: NumberField;
  baseUrl: string;
  concurrency: NumberField;
  rate: NumberField;
}

export class IngestState {
  open = $state(false);
  source = $state<IngestSource>('legacysurvey');
  path = $state('');
  catalog = $state('');
  /** embeddings: the vectors file (or FILE:DATASET, or a vector column of the catalogue) and their model */
  vectors = $state('');
  modelName = $state('');
  /** empty = the open workspace */
  workspace = $state('');
  fields = $state<OptionFields>({ layer: 'ls-dr10', pixscale: null, size: null, baseUrl: '', concurrency: 4, rate: 8 });
  starting = $state(false);
  jobId = $state<string | null>(null);
  report = $state<IngestSummary | null>(null);
  #api: Api;
  #errors: Errors;
  #jobs: Jobs;

  constructor(api: Api, errors: Errors, jobs: Jobs) {
    this.#api = api;
    this.#errors = errors;
    this.#jobs = jobs;
    api.onEvent((e) => {
      if (e.type !== 'job' || e.job.kind !== 'ingest') return;
      if (e.job.state === 'running') this.jobId = e.job.id;
      else void this.refreshReport();
    });
  }

  /** the latest ingest job (running or just ended) */
  get job(): JobInfo | null {
    if (this.jobId) return this.#jobs.byId[this.jobId] ?? null;
    return (
      Object.values(this.#jobs.byId)
        .filter((j) => j.kind === 'ingest')
        .sort((a, b) => b.startedAt - a.startedAt)[0] ?? null
    );
  }

  get running(): boolean {
    return this.job?.state === 'running';
  }

  /** what the form would send; numbers parsed, empty fields left out */
  input(): IngestStartInput {
    const f = this.fields;
    const options: IngestOptions = {};
    const number = (v: NumberField) => (v === null || String(v).trim() === '' ? undefined : Number(v));
    if (this.source === 'legacysurvey') {
      if (f.layer.trim()) options.layer = f.layer.trim();
      if (f.baseUrl.trim()) options.baseUrl = f.baseUrl.trim();
      options.concurrency = number(f.concurrency);
      options.rate = number(f.rate);
      options.pixscale = number(f.pixscale);
    }
    if (this.source === 'folder') options.pixscale = number(f.pixscale);
    if (this.source === 'embeddings') {
      if (this.modelName.trim()) options.modelName = this.modelName.trim();
    } else options.size = number(f.size);
    for (const k of Object.keys(options) as (keyof IngestOptions)[]) if (options[k] === undefined) delete options[k];
    return {
      source: this.source,
      path: this.path.trim(),
      ...(this.source === 'folder' && this.catalog.trim() ? { catalog: this.catalog.trim() } : {}),
      ...(this.source === 'embeddings' ? { vectors: this.vectors.trim() } : {}),
      ...(this.workspace.trim() ? { workspace: this.workspace.trim() } : {}),
      options,
    };
  }

  async start(): Promise<void> {
    this.starting = true;
    try {
      const job = await this.#api.ingest.start(this.input());
      this.#jobs.update(job);
      this.jobId = job.id;
      this.report = null;
    } catch (e) {
      this.#errors.report(e);
    } finally {
      this.starting = false;
    }
  }

  async cancel(): Promise<void> {
    if (this.job) await this.#jobs.cancel(this.job.id).catch(this.#errors.report);
  }

  async refreshReport(): Promise<void> {
    try {
      this.report = await this.#api.ingest.lastReport({});
    } catch (e) {
      this.#errors.report(e);
    }
  }
}
