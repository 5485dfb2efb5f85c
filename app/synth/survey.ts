/**
 * Public entry points of the synthetic survey: random access by index,
 * iteration, and a metadata-only fast path (no pixels).
 */
import { AppError } from '../core/errors';
import { createRng } from '../core/rng';
import type { Cutout } from '../domain/cutout';
import type { NewObject } from '../domain/object';
import { resolveOptions, type ResolvedOptions, type SurveyOptions } from './options';
import { planObject } from './plan';
import { renderScene } from './render';

export interface SurveyItem {
  object: NewObject;
  cutout: Cutout;
  /** class index into CLASS_NAMES */
  label: number;
}

function resolved(opts: SurveyOptions | ResolvedOptions): ResolvedOptions {
  return 'conditions' in opts ? opts : resolveOptions(opts);
}

/** The noise stream of object i: independent of the planning stream. */
export function noiseRng(o: ResolvedOptions, i: number) {
  return createRng(o.seed ^ 0x5bd1e995).fork(i);
}

/**
 * Object i of the survey with its cutout; any i in [0, count) in any order gives
 * the same bytes. `out` (bands × size × size), when given, receives the pixels
 * and becomes cutout.data (saves an allocation per object in bulk loops).
 */
export function surveyObject(opts: SurveyOptions | ResolvedOptions, i: number, out?: Float32Array): SurveyItem {
  const o = resolved(opts);
  if (!Number.isInteger(i) || i < 0 || i >= o.count) throw new AppError('BAD_INPUT', `synthetic survey: object index ${i} outside [0, ${o.count})`);
  const scene = planObject(o, i);
  return { object: scene.object, cutout: renderScene(scene, o, noiseRng(o, i), { out }), label: scene.label };
}

/** Catalogue row and class index of object i, without pixels. */
export function surveyObjectMeta(opts: SurveyOptions | ResolvedOptions, i: number): { object: NewObject; label: number } {
  const o = resolved(opts);
  if (!Number.isInteger(i) || i < 0 || i >= o.count) throw new AppError('BAD_INPUT', `synthetic survey: object index ${i} outside [0, ${o.count})`);
  const scene = planObject(o, i);
  return { object: scene.object, label: scene.label };
}

/** Objects start..count-1 in order. */
export function* generateSurvey(opts: SurveyOptions, start = 0): Generator<SurveyItem> {
  const o = resolveOptions(opts);
  for (let i = start; i < o.count; i++) yield surveyObject(o, i);
}
