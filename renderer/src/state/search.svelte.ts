import { LABEL_NEGATIVE, LABEL_NONE, LABEL_POSITIVE, LABEL_UNSURE, type LabelValue, type ProbeResult, type SearchInfo } from '../../../app/contracts';
import type { Api } from '../api/client';
import type { Errors } from './errors.svelte';

const CODE: Record<string, number> = { positive: LABEL_POSITIVE, negative: LABEL_NEGATIVE, unsure: LABEL_UNSURE };

export function labelOfCode(code: number): LabelValue {
  return code === LABEL_POSITIVE ? 'positive' : code === LABEL_NEGATIVE ? 'negative' : code === LABEL_UNSURE ? 'unsure' : null;
}

/** The rare-object search in progress: labels, probe scores, ranked list, rounds. */
export class SearchState {
  searches = $state<SearchInfo[]>([]);
  active = $state<string | null>(null);
  labels = $state.raw<Uint8Array | null>(null);
  result = $state.raw<ProbeResult | null>(null);
  training = $state(false);
  activeInfo = $derived(this.searches.find((s) => s.name === this.active) ?? null);
  #api: Api;
  #errors: Errors;

  constructor(api: Api, errors: Errors) {
    this.#api = api;
    this.#errors = errors;
  }

  async refresh(): Promise<void> {
    this.searches = await this.#api.probe.searches({});
    if (this.active === null && this.searches.length) await this.activate(this.searches[0].name);
  }

  async create(name: string, description = ''): Promise<void> {
    try {
      await this.#api.probe.create({ name, description });
      this.searches = await this.#api.probe.searches({});
      await this.activate(name);
    } catch (e) {
      this.#errors.report(e);
    }
  }

  async activate(name: string): Promise<void> {
    this.active = name;
    this.labels = (await this.#api.probe.labels({ search: name })).codes;
    this.result = await this.#api.probe.result({ search: name });
  }

  labelOf(idx: number): LabelValue {
    return labelOfCode(this.labels?.[idx] ?? LABEL_NONE);
  }

  async setLabel(idx: number, label: LabelValue): Promise<void> {
    const search = this.active;
    if (!search || !this.labels) return;
    const next = this.labels.slice();
    next[idx] = label ? CODE[label] : LABEL_NONE;
    this.labels = next;
    try {
      const info = await this.#api.probe.setLabel({ search, idx, label });
      this.searches = this.searches.map((s) => (s.name === info.name ? info : s));
    } catch (e) {
      this.#errors.report(e);
      this.labels = (await this.#api.probe.labels({ search })).codes;
    }
  }

  /** many objects (a lasso, a selection) in one call: one transaction, one event */
  async labelMany(indices: ArrayLike<number>, label: LabelValue): Promise<void> {
    const search = this.active;
    if (!search || !this.labels) return;
    const list = Int32Array.from(indices);
    this.applyLabels(search, list, label);
    try {
      const info = await this.#api.probe.setLabels({ search, indices: list, label });
      this.searches = this.searches.map((s) => (s.name === info.name ? info : s));
    } catch (e) {
      this.#errors.report(e);
      this.labels = (await this.#api.probe.labels({ search })).codes;
    }
  }

  /** delta from the engine (this window or another client): these objects now carry `label` */
  applyLabels(search: string, indices: Int32Array, label: LabelValue): void {
    if (search !== this.active || !this.labels) return;
    const code = label ? CODE[label] : LABEL_NONE;
    if (indices.every((i) => this.labels![i] === code)) return;
    const next = this.labels.slice();
    for (const i of indices) if (i < next.length) next[i] = code;
    this.labels = next;
  }

  async retrain(): Promise<void> {
    const search = this.active;
    if (!search) return;
    this.training = true;
    try {
      this.result = await this.#api.probe.retrain({ search });
      this.searches = await this.#api.probe.searches({});
    } catch (e) {
      this.#errors.report(e);
    } finally {
      this.training = false;
    }
  }

  async exportRanked(top: number): Promise<string | null> {
    if (!this.active) return null;
    try {
      const r = await this.#api.probe.exportRanked({ search: this.active, top });
      return `${r.rows} rows → ${r.path}`;
    } catch (e) {
      this.#errors.report(e);
      return null;
    }
  }
}
