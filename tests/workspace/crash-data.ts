/** Deterministic labels and vectors shared by crash-child.ts and crash.test.ts. */
import type { Label } from '@main/node/workspace';

export const CRASH_DIM = 16;
export const labelOf = (i: number): Label => (['positive', 'negative', 'unsure'] as const)[i % 3];
export const vectorOf = (i: number): Float32Array => Float32Array.from({ length: CRASH_DIM }, (_, k) => Math.sin(i * 7 + k));
