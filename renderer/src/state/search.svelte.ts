import { LABEL_NONE, type LabelChangeInfo, type LabelValue, type ProbeFeatureSet, type ProbeResult, type SearchInfo } from '@app/contracts';
import { countLabels, labelCode, labelOfCode } from '@app/core/labels';
import type { Api } from '../api/client';
import type { Errors } from './errors.svelte';

export { labelOfCode };

/** how many of the newest label changes the history list holds */
export const HISTORY_LIMIT = 200;

/** The rare-object search in progress: labels, probe scores, ranked list, rounds. */
export class SearchState {
  searches = $state<SearchInfo[]>([]);
  active = $state<string | null>(null);
  labels = $state.raw<Uint8Array | null>(null);
  result = $state.raw<ProbeResult | null>(null);
  training = $state(false);
  /** the active search's label history from the workspace, newest first (kept across restarts; Ctrl-Z undoes from it) */
  history = $state.raw<LabelChangeInfo[]>([]);
  /** a newer round of the active search that another process or window recorded, not shown yet */
  newerRound = $state<number | null>(null);
  /** what Ctrl-Z would undo: the newest user change not yet undone */
  nextUndo = $derived(this.history.find((c) => c.source === 'user' && !c.undone) ?? null);
  /** label writes not answered yet (an undo waits for them, so it never undoes the change before) */
  #inflight = new Set<Promise<unknown>>();
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
    this.history = [];
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
      this.newerRound = null;
      this.history = [];
      this.#remember(name);
      void this.loadHistory();
      return 'opened';
    } catch (e) {
      if (gen !== this.#generation) return 'superseded';
      this.#errors.report(e);
      return 'failed';
    }
  }

  /**
   * A round recorded elsewhere (another process, another window) for the active search: offered, not
   * swapped in, so the cards under the user's keys do not change while they label (loadNewerRound shows it).
   */
  roundRecorded(search: string, round: number): void {
    if (search !== this.active || (this.result && this.result.round >= round)) return;
    this.newerRound = Math.max(this.newerRound ?? 0, round);
  }

  /** shows the newest recorded round of the active search (the one roundRecorded offered) */
  async loadNewerRound(): Promise<void> {
    const search = this.active,
      gen = this.#generation;
    if (!search) return;
    try {
      const result = await this.#api.probe.result({ search });
      if (gen !== this.#generation || this.active !== search) return;
      if (result && (!this.result || result.round > this.result.round)) this.result = result;
      this.newerRound = null;
    } catch (e) {
      this.#errors.report(e);
    }
  }

  labelOf(idx: number): LabelValue {
    return labelOfCode(this.labels?.[idx] ?? LABEL_NONE);
  }

  #track<T>(p: Promise<T>): Promise<T> {
    this.#inflight.add(p);
    void p.finally(() => this.#inflight.delete(p)).catch(() => {});
    return p;
  }

  /** the active search's history (the newest HISTORY_LIMIT changes) */
  async loadHistory(): Promise<void> {
    const search = this.active;
    if (!search) return;
    try {
      const h = await this.#api.probe.history({ search, limit: HISTORY_LIMIT });
      if (this.active === search) this.history = h;
    } catch (e) {
      this.#errors.report(e);
    }
  }

  async setLabel(idx: number, label: LabelValue): Promise<void> {
    const search = this.active;
    if (!search || !this.labels) return;
    const prev = this.labels[idx],
      code = labelCode(label);
    if (prev === code) return;
    const next = this.labels.slice();
    next[idx] = code;
    this.labels = next;
    try {
      const info = await this.#track(this.#api.probe.setLabel({ search, idx, label }));
      this.searches = this.searches.map((s) => (s.name === info.name ? info : s));
      void this.loadHistory();
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

  /**
   * Undoes one label change of the active search (`seq` from the history list, or the newest user change not yet
   * undone, also one made before a reload or restart): the engine writes a new event; the object, or null.
   */
  async undo(seq?: number): Promise<number | null> {
    const search = this.active;
    if (!search) return null;
    await Promise.allSettled([...this.#inflight]);
    if (seq === undefined && !this.nextUndo) {
      await this.loadHistory();
      if (!this.nextUndo) return null;
    }
    try {
      const { changes, info } = await this.#api.probe.undo(seq === undefined ? { search } : { search, seq });
      this.searches = this.searches.map((s) => (s.name === info.name ? info : s));
      for (const c of changes) this.applyLabels(search, Int32Array.of(c.idx), c.to);
      await this.loadHistory();
      return changes.at(-1)?.idx ?? null;
    } catch (e) {
      this.#errors.report(e);
      return null;
    }
  }

  /** objects with this label in the active search, by index */
  withLabel(label: Exclude<LabelValue, null>): number[] {
    const codes = this.labels,
      want = labelCode(label),
      out: number[] = [];
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
      const info = await this.#track(this.#api.probe.setLabels({ search, indices: list, label }));
      this.searches = this.searches.map((s) => (s.name === info.name ? info : s));
      void this.loadHistory();
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
    void this.loadHistory(); // a change from elsewhere (another window, the CLI): the history list follows
  }

  /** Retrains the probe; `features` switches what this search's probe is fitted on (kept for the search). */
  async retrain(features?: ProbeFeatureSet): Promise<void> {
    const search = this.active;
    if (!search) return;
    this.training = true;
    try {
      this.result = await this.#api.probe.retrain(features ? { search, features } : { search });
      if (this.newerRound !== null && this.result && this.result.round >= this.newerRound) this.newerRound = null;
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
