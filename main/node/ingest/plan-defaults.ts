/** The defaults of the one ingest plan (plan.ts), light to import: the CLI's usage text shows them. */
import { DEFAULT_BASE_URL, NATIVE_PIXSCALE } from './legacysurvey/urls';
import type { IngestProgress } from './report';

export const INGEST_DEFAULTS = {
  layer: 'ls-dr10',
  bands: 'grz',
  size: 64,
  pixscale: NATIVE_PIXSCALE,
  baseUrl: DEFAULT_BASE_URL,
  coaddUrl: 'https://portal.nersc.gov/cfs/cosmo/data/legacysurvey/dr10/south',
  /** cutout service / whole bricks */
  concurrency: { cutouts: 4, bricks: 3 },
  rate: { cutouts: 8, bricks: 4 },
  timeout: { cutouts: 60, bricks: 300 },
  retries: 5,
} as const;

export interface IngestHooks {
  signal?: AbortSignal;
  onProgress?: (p: IngestProgress) => void;
  onRetry?: (r: { url: string; attempt: number; delayMs: number; reason: string }) => void;
}
