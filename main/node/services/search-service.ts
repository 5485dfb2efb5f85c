/** k-NN neighbours of an object in the active embedding: the HNSW index when ready, else an exact scan. */
import type { SearchService } from '@app/contracts';
import { findNeighbours, queryVector, viewSource } from '../index/neighbours';
import { activeView } from '../vectors/active-view';
import type { EngineContext } from '../session/context';
import { readyIndex } from '../vectors/neighbour-index';

export function searchService(ctx: EngineContext): SearchService {
  return {
    async neighbours({ idx, k }) {
      const view = activeView(ctx);
      const src = viewSource(view, readyIndex(ctx, view));
      const r = findNeighbours(src, queryVector(src, idx), { k, exclude: idx });
      return { idx, neighbours: r.indices, distances: r.distances, metric: r.metric, method: r.method === 'exact' ? 'exact' : 'hnsw' };
    },
  };
}
