import type { CutoutData } from '@app/contracts';
import type { Api } from './client';

/** Recently used cutouts (LRU by idx) so galleries and hover do not refetch. */
export class CutoutCache {
  #map = new Map<number, Promise<CutoutData>>();
  constructor(
    private api: Api,
    private capacity = 600,
  ) {}

  get(idx: number): Promise<CutoutData> {
    let p = this.#map.get(idx);
    if (p) {
      this.#map.delete(idx);
      this.#map.set(idx, p);
      return p;
    }
    p = this.api.cutouts.get({ idx });
    p.catch(() => this.#map.delete(idx));
    this.#map.set(idx, p);
    while (this.#map.size > this.capacity) this.#map.delete(this.#map.keys().next().value!);
    return p;
  }

  clear(): void {
    this.#map.clear();
  }
}
