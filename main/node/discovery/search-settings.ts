/**
 * Per-search settings of the probe round, kept in the workspace (kv
 * 'searchSettings', by search name): the representation the probe is fitted
 * on and the share of suggestions from the top of the ranking. A round uses
 * them unless its caller overrides them; each round records what it used.
 */
import { AppError } from '@app/core/errors';
import { DEFAULT_EXPLOIT } from '@app/ml/active-learning';
import { DEFAULT_FEATURE_SET, isFeatureSet, type FeatureSet } from '@app/ml/representation';
import type { Workspace } from '../workspace';

export interface SearchSettings {
  features: FeatureSet;
  exploit: number;
}

const KEY = 'searchSettings';

export function searchSettings(ws: Workspace, search: string): SearchSettings {
  const all = ws.kv.get<Record<string, Partial<SearchSettings>>>(KEY) ?? {};
  const s = all[search] ?? {};
  return {
    features: isFeatureSet(s.features) ? s.features : DEFAULT_FEATURE_SET,
    exploit: typeof s.exploit === 'number' && s.exploit >= 0 && s.exploit <= 1 ? s.exploit : DEFAULT_EXPLOIT,
  };
}

/** Changes the given settings of a search (BAD_INPUT for values out of range); returns them all. */
export function setSearchSettings(ws: Workspace, search: string, patch: Partial<SearchSettings>): SearchSettings {
  if (patch.features !== undefined && !isFeatureSet(patch.features))
    throw new AppError('BAD_INPUT', `unknown feature set '${String(patch.features)}' (embedding, morphology, both)`);
  if (patch.exploit !== undefined && !(patch.exploit >= 0 && patch.exploit <= 1))
    throw new AppError('BAD_INPUT', `exploit must be in [0, 1], got ${patch.exploit}`);
  const all = ws.kv.get<Record<string, Partial<SearchSettings>>>(KEY) ?? {};
  const next = { ...searchSettings(ws, search), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
  all[search] = next;
  ws.kv.set(KEY, all);
  return next;
}
