/**
 * Which points the sky map and the scatter draw, and in what order: only the
 * objects the filters pass, and when colouring by probe score, lowest score
 * first so the high scores are drawn on top. null: every point, in index
 * order (no copy).
 */
import { drawOrder } from '../gfx/draw-order';
import type { Filters } from './filters.svelte';
import type { SearchState } from './search.svelte';
import type { ViewSettings } from './view.svelte';

export class DrawOrder {
  #filters: Filters;
  #search: SearchState;
  #view: ViewSettings;
  #count: () => number;

  constructor(count: () => number, filters: Filters, search: SearchState, view: ViewSettings) {
    this.#count = count;
    this.#filters = filters;
    this.#search = search;
    this.#view = view;
  }

  order = $derived.by((): Int32Array | null => {
    const n = this.#count();
    const scores = this.#view.colourBy === 'score' && this.#search.result?.scores.length === n ? this.#search.result.scores : null;
    return drawOrder(n, this.#filters.mask, scores);
  });
}
