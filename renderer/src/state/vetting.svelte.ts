import { FEATURE_FLAGS, type FeatureFlag, type Grade, type VettingList, type VettingListInfo } from '@app/contracts';
import type { Api } from '../api/client';
import type { Errors } from './errors.svelte';

/** Vetting: a list of candidates graded one by one; resumes at the first ungraded. */
export class VettingState {
  lists = $state<VettingListInfo[]>([]);
  list = $state.raw<VettingList | null>(null);
  /** position in list.order under the keyboard cursor */
  cursor = $state(0);
  graded = $derived(this.list ? this.list.grades.reduce((n, g) => n + (g >= 0 ? 1 : 0), 0) : 0);
  #api: Api;
  #errors: Errors;

  constructor(api: Api, errors: Errors) {
    this.#api = api;
    this.#errors = errors;
  }

  /** drops the previous workspace's lists (switching workspace) */
  reset(): void {
    this.lists = [];
    this.list = null;
    this.cursor = 0;
  }

  async refresh(): Promise<void> {
    this.lists = await this.#api.vetting.lists({});
    if (!this.list && this.lists.length) await this.open(this.lists[0].name);
  }

  async open(name: string): Promise<void> {
    try {
      this.list = await this.#api.vetting.get({ name });
      this.cursor = Math.min(this.list.cursor, Math.max(0, this.list.order.length - 1));
    } catch (e) {
      this.#errors.report(e);
    }
  }

  async createFromSearch(name: string, search: string, top: number): Promise<void> {
    try {
      this.list = await this.#api.vetting.createFromSearch({ name, search, top });
      this.cursor = this.list.cursor;
      this.lists = await this.#api.vetting.lists({});
    } catch (e) {
      this.#errors.report(e);
    }
  }

  featuresAt(pos: number): FeatureFlag[] {
    const bits = this.list?.features[pos] ?? 0;
    return FEATURE_FLAGS.filter((_f, i) => bits & (1 << i));
  }

  async grade(pos: number, grade: Grade, features: FeatureFlag[], note: string): Promise<void> {
    const l = this.list;
    if (!l || pos < 0 || pos >= l.order.length) return;
    const idx = l.order[pos];
    const grades = l.grades.slice(),
      feats = l.features.slice();
    grades[pos] = grade;
    feats[pos] = features.reduce((b, f) => b | (1 << FEATURE_FLAGS.indexOf(f)), 0);
    const shown: VettingList = { ...l, grades, features: feats, notes: { ...l.notes, [idx]: note } };
    this.list = shown;
    try {
      const info = await this.#api.vetting.grade({ name: l.name, idx, grade, features, note });
      this.lists = this.lists.map((x) => (x.name === info.name ? info : x));
    } catch (e) {
      this.#errors.report(e);
      // not saved: put back what was saved for this candidate (unless the list changed since)
      const now = this.list;
      if (now && now.name === l.name && now.grades[pos] === grade && now.features[pos] === feats[pos]) {
        const g = now.grades.slice(),
          f = now.features.slice();
        g[pos] = l.grades[pos];
        f[pos] = l.features[pos];
        const notes = { ...now.notes };
        if (idx in l.notes) notes[idx] = l.notes[idx];
        else delete notes[idx];
        this.list = { ...now, grades: g, features: f, notes };
      }
    }
  }

  async export(): Promise<string | null> {
    if (!this.list) return null;
    try {
      const r = await this.#api.vetting.export({ name: this.list.name });
      return `${r.rows} rows → ${r.path}`;
    } catch (e) {
      this.#errors.report(e);
      return null;
    }
  }
}
