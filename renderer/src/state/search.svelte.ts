import { LABEL_NONE, type LabelValue, type ProbeFeatureSet, type ProbeResult, type SearchInfo } from '../../../app/contracts';
import { countLabels, labelCode, labelOfCode } from '../../../app/core/labels';
import type { Api } from '../api/client';
import type { Errors } from './errors.svelte';

export { labelOfCode };

/** The rare-object search in progress: labels, probe scores, ranked list, rounds. */
export class SearchState {
  searches = $state<SearchInfo[]>([]);
  active = $state<string | null>(null);
  labels = $state.raw<Uint8Array | null>(null);
  result = $state.raw<ProbeResult | null>(null);
  training = $state(false);
  /** this session's label changes, newest last (Ctrl-Z puts the previous label back) */
  undoStack = $state.raw<{ search: string; idx: number; prev: LabelValue; next: LabelValue }[]>([]);
  activeInfo = $derived(this.searches.find((s) => s.name === this.active) ?? null);
  #api: Api;
  #errors: Errors;

  constructor(api: Api, errors: Errors) {
    this.#api = api;
    this.#errors = errors;
  }

  /** the workspace whose searches these are (the remembered active search is kept per workspace) */
  #workspace: string | null = null;
  /** bumps on every activate, so a slow reply for an older choice is dropped */
  #generation = 0;

  /** drops everything of the previous workspace (switching workspace) */
  reset(): void {
    this.#generation++;
    this.undoStack = [];
    this.searches = [];
    this.active = null;
    this.labels = null;
    this.result = null;
    this.training = false;
  }

  async refresh(workspace?: string): Promise<void> {
    if (workspace !== undefined && workspace !== this.#workspace) {
      this.reset();
      this.#workspace = workspace;
    }
    this.searches = await this.#api.probe.searches({});
    if (this.active !== null && !this.searches.some((s) => s.name === this.active)) this.reset();
    if (this.active === null && this.searches.length) {
      const remembered = this.#remembered();
      const order = [remembered, ...this.searches.map((s) => s.name)].filter((n): n is string => Boolean(n) && this.searches.some((s) => s.name === n));
      // one that cannot be opened does not leave the app stuck on it: try the next (unless another choice took over)
      for (const name of new Set(order)) if ((await this.#open(name)) !== 'failed') break;
    }
  }

  #key(): string | null {
    return this.#workspace ? `latent-sky:search:${this.#workspace}` : null;
  }

  #remembered(): string | null {
    const k = this.#key();
    try {
      return k ? localStorage.getItem(k) : null;
    } catch {
      return null;
    }
  }

  #remember(name: string): void {
    const k = this.#key();
    try {
      if (k) localStorage.setItem(k, name);
    } catch {
      /* storage unavailable: nothing to remember */
    }
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

  /** fetches the search's labels and result first, then switches to it in one step; false when it cannot be opened */
  async activate(name: string): Promise<boolean> {
    return (await this.#open(name)) === 'opened';
  }

  async #open(name: string): Promise<'opened' | 'superseded' | 'failed'> {
    const gen = ++this.#generation;
    try {
      const [labels, result] = await Promise.all([this.#api.probe.labels({ search: name }), this.#api.probe.result({ search: name })]);
      if (gen !== this.#generation) return 'superseded';
      this.active = name;
      this.labels = labels.codes;
      this.result = result;
      this.#remember(name);
      return 'opened';
    } catch (e) {
      if (gen !== this.#generation) return 'superseded';
      this.#errors.report(e);
      return 'failed';
    }
  }

  labelOf(idx: number): LabelValue {
    return labelOfCode(this.labels?.[idx] ?? LABEL_NONE);
  }

  async setLabel(idx: number, label: LabelValue, opts: { undoing?: boolean } = {}): Promise<void> {
    const search = this.active;
    if (!search || !this.labels) return;
    const prev = this.labels[idx], code = labelCode(label);
    if (prev === code) return;
    const next = this.labels.slice();
    next[idx] = code;
    this.labels = next;
    try {
      const info = await this.#api.probe.setLabel({ search, idx, label });
      this.searches = this.searches.map((s) => (s.name === info.name ? info : s));
      if (!opts.undoing) this.undoStack = [...this.undoStack.slice(-199), { search, idx, prev: labelOfCode(prev), next: label }];
    } catch (e) {
      this.#errors.report(e);
      // not saved: show it unsaved again (locally; asking the engine may fail the same way), unless changed since
      if (this.active === search && this.labels && this.labels[idx] === code) {
        const back = this.labels.slice();
        back[idx] = prev;
        this.labels = back;
      }
    }
  }

  /** puts back the label before the last change made in this session (in the active search); the object, or null */
  async undo(): Promise<number | null> {
    const last = this.undoStack.findLast((u) => u.search === this.active);
    if (!last) return null;
    this.undoStack = this.undoStack.filter((u) => u !== last);
    await this.setLabel(last.idx, last.prev, { undoing: true });
    return last.idx;
  }

  /** objects with this label in the active search, by index */
  withLabel(label: Exclude<LabelValue, null>): number[] {
    const codes = this.labels, want = labelCode(label), out: number[] = [];
    if (codes) for (let i = 0; i < codes.length; i++) if (codes[i] === want) out.push(i);
    return out;
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
    const code = labelCode(label);
    if (indices.every((i) => this.labels![i] === code)) return;
    const next = this.labels.slice();
    for (const i of indices) if (i < next.length) next[i] = code;
    this.labels = next;
    // the counts too (a delta from another client comes without a SearchInfo)
    const counts = countLabels(next);
    this.searches = this.searches.map((s) => (s.name === search ? { ...s, ...counts } : s));
  }

  /** Retrains the probe; `features` switches what this search's probe is fitted on (kept for the search). */
  async retrain(features?: ProbeFeatureSet): Promise<void> {
    const search = this.active;
    if (!search) return;
    this.training = true;
    try {
      this.result = await this.#api.probe.retrain(features ? { search, features } : { search });
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
