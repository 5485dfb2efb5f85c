/** Data exchanged between an embedding job (main thread) and its worker. */
import type { ErrorData } from '@app/core/errors';
import type { ProviderAttempt } from './session';
import type { ProviderName } from './providers';

export interface EmbedStartInfo {
  modelKey: string;
  modelName: string;
  modelVersion: string;
  modelDir: string;
  provider: ProviderName;
  attempts: ProviderAttempt[];
  /** objects in the workspace */
  total: number;
  /** rows already done when this run started (after --force: 0) */
  alreadyDone: number;
  /** objects this run will encode */
  toDo: number;
  batch: number;
  threads: number;
  /** e.g. a pixel scale that differs from the model's training data */
  notes: string[];
}

export interface EmbedCounts {
  /** rows done in the workspace (all runs) */
  done: number;
  total: number;
  /** encoded by this run */
  encoded: number;
  /** objects this run could not encode (see the report's skipped list) */
  skipped: number;
}

export interface SkippedObject {
  idx: number;
  reason: string;
}

export interface EmbedRunResult extends EmbedCounts {
  cancelled: boolean;
  /** the first 1000 skipped objects with their reasons */
  skippedObjects: SkippedObject[];
  /** seconds spent encoding (model loading excluded) */
  seconds: number;
}

export type WorkerMessage =
  | { type: 'started'; info: EmbedStartInfo }
  | { type: 'progress'; progress: EmbedCounts }
  | { type: 'finished'; report: EmbedRunResult }
  | { type: 'failed'; error: ErrorData };
