/** Projection methods, their parameters and the progress they report. */
import type { ProjectionMethod } from '@app/contracts/types';

export type { ProjectionMethod };

export interface PcaParams {
  method: 'pca';
  /** fit on at most this many rows (evenly strided); all rows are projected */
  maxFitRows: number;
}

export interface UmapParams {
  method: 'umap';
  nNeighbors: number;
  minDist: number;
  /** optimisation epochs of the fit (0 = umap-js's default for the size) */
  nEpochs: number;
  /** fit on at most this many objects (seeded sample); the rest are placed from their nearest fitted neighbours */
  subsample: number;
  seed: number;
}

export type ProjectionParams = PcaParams | UmapParams;

export const DEFAULT_PCA: PcaParams = { method: 'pca', maxFitRows: 200_000 };
export const DEFAULT_UMAP: UmapParams = { method: 'umap', nNeighbors: 15, minDist: 0.1, nEpochs: 0, subsample: 20_000, seed: 1 };

export function defaultParams(method: ProjectionMethod): ProjectionParams {
  return method === 'pca' ? { ...DEFAULT_PCA } : { ...DEFAULT_UMAP };
}

export interface ProjectionProgress {
  stage: string;
  done: number;
  total: number;
}

export type ProgressFn = (p: ProjectionProgress) => void;
