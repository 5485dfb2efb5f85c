/** k-NN neighbours of an object in the active embedding (F's neighbour search; exact scan without an index). */
import type { SearchService } from '../../../app/contracts';
import { findNeighbours, queryVector } from '../index/neighbours';
import { activeView } from './active-model';
import type { EngineContext } from './context';

export function searchService(ctx: EngineContext): SearchService {
  return {
    async neighbours({ idx, k }) {
      const view = activeView(ctx);
      const src = { unitRows: view.unit, dim: view.dim, index: null };
      const r = findNeighbours(src, queryVector(src, idx), { k, exclude: idx });
      return { idx, neighbours: r.indices, distances: Float32Array.from(r.similarities, (s) => 1 - s) };
    },
  };
}
