import { byClass, byLabel, byValue, uniform, type Colouring } from '../gfx/colors';
import type { SearchState } from './search.svelte';
import type { Session } from './session.svelte';
import type { ViewSettings } from './view.svelte';

/** The one colour array every view draws with (so colours match across views). */
export class PointColours {
  colouring = $derived.by((): Colouring => this.#compute());
  #session: Session;
  #search: SearchState;
  #view: ViewSettings;

  constructor(session: Session, search: SearchState, view: ViewSettings) {
    this.#session = session;
    this.#search = search;
    this.#view = view;
  }

  #compute(): Colouring {
    const n = this.#session.count;
    const by = this.#view.colourBy;
    if (by === 'truth' && this.#session.truth) return byClass(this.#session.truth.codes, this.#session.truth.names, 'truth');
    if (by === 'label') return byLabel(n, this.#search.labels);
    if (by === 'score' && this.#search.result) {
      const s = this.#search.result.scores;
      // probabilities: the whole 0–1 range (nothing clipped); other scores at their percentiles
      return byValue(s, `probe score (${this.#search.active})`, s.every((v) => !(v < 0 || v > 1)) ? [0, 1] : undefined);
    }
    if (by.startsWith('col:')) {
      const col = this.#session.numeric[by.slice(4)];
      if (col) return byValue(col.values, col.name);
    }
    return uniform(n);
  }
}
