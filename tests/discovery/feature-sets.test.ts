/**
 * Searches on feature sets, on a real synthetic workspace embedded by the
 * bundled model: the probe round fits the representation the search asks
 * for (embedding / morphology / both), records it in the round history,
 * falls back from `both` to the embedding (saying so) while the features are
 * missing, refuses `morphology` then, keeps per-search settings, and takes
 * the exploit share of suggestions from the top.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@app/core/rng';
import { LABEL_NEGATIVE, LABEL_POSITIVE } from '@app/core/labels';
import { loadEmbeddingView, type EmbeddingView } from '@main/node/discovery/embedding-view';
import { runProbeRound, type RoundPayload } from '@main/node/discovery/probe-round';
import { scoreObjects } from '@main/node/discovery/scorer';
import { searchSettings, setSearchSettings } from '@main/node/discovery/search-settings';
import { runEmbedJob } from '@main/node/encoder/embed-job';
import { runFeaturesJob } from '@main/node/features/features-job';
import { Workspace } from '@main/node/workspace';
import { fillSynthetic } from '@main/node/workspace/synth-fill';

const root = mkdtempSync(join(tmpdir(), 'ls-featsets-'));
const dir = join(root, 'ws');
const MODEL = resolve(__dirname, '../../native-models/ls-vit-tiny');
let ws: Workspace;
let view: EmbeddingView;

beforeAll(async () => {
  const w = Workspace.create(dir, { cutout: { bands: ['g', 'r', 'z'], size: 64, pixscale: 0.262, unit: 'nanomaggies' } });
  await fillSynthetic(w, { count: 500, seed: 6, workers: 1 });
  w.close();
  await runEmbedJob({ workspace: dir, model: MODEL });
  ws = Workspace.open(dir);
  view = loadEmbeddingView(ws);
  const truth = ws.truthColumn();
  const pos = truth.flatMap((t, i) => (t === 'elliptical' ? [i] : [])).slice(0, 12);
  const neg = truth.flatMap((t, i) => (t === 'spiral' ? [i] : [])).slice(0, 12);
  ws.labels.createSearch('ell');
  ws.labels.setMany('ell', [...pos.map((idx) => ({ idx, label: 'positive' as const })), ...neg.map((idx) => ({ idx, label: 'negative' as const }))], 'user');
}, 120_000);
afterAll(() => {
  ws?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('probe feature sets', () => {
  it('falls back from both to the embedding while features are missing, and refuses morphology', () => {
    const r = runProbeRound(ws, view, 'ell', { record: false });
    expect(r.payload.features).toBe('embedding');
    expect(r.payload.note).toMatch(/morphology features are missing for 500 of 500/);
    expect(() => runProbeRound(ws, view, 'ell', { features: 'morphology', record: false })).toThrow(/compute them first/);
  });

  it('fits each representation once the features exist, and records it in the round', async () => {
    await runFeaturesJob({ workspace: dir, workers: 1 });
    const scores: Record<string, Float32Array> = {};
    for (const f of ['embedding', 'morphology', 'both'] as const) {
      const r = runProbeRound(ws, view, 'ell', { features: f, crossValidate: false });
      expect(r.payload.features).toBe(f);
      expect(r.payload.featureKey).toBe(f === 'embedding' ? null : 'morph1-grz');
      expect(r.payload.note).toBeUndefined();
      expect(ws.rounds.list<RoundPayload>('ell').at(-1)!.payload.features).toBe(f);
      scores[f] = r.scores;
    }
    // 'embedding' is the probe exactly as before feature sets
    const set = { pos: [] as number[], neg: [] as number[] };
    ws.labels.column('ell').forEach((c, i) => (c === LABEL_POSITIVE ? set.pos.push(i) : c === LABEL_NEGATIVE ? set.neg.push(i) : null));
    const old = scoreObjects(view, set.pos, set.neg, createRng(0), {
      crossValidate: false,
      labelled: Uint8Array.from(ws.labels.column('ell'), (c) => (c ? 1 : 0)),
      background: 0,
    });
    const now = runProbeRound(ws, view, 'ell', { features: 'embedding', crossValidate: false, background: 0, record: false });
    for (let i = 0; i < 500; i++) expect(now.scores[i]).toBeCloseTo(old.scores[i], 5);
    expect(scores.morphology.some((v, i) => Math.abs(v - scores.embedding[i]) > 0.05)).toBe(true);
    expect(scores.both.some((v, i) => Math.abs(v - scores.morphology[i]) > 0.05)).toBe(true);
  });

  it('keeps per-search settings and takes the exploit share from the top', () => {
    expect(searchSettings(ws, 'ell')).toEqual({ features: 'both', exploit: 0.8 });
    setSearchSettings(ws, 'ell', { features: 'morphology', exploit: 0.6 });
    const r = runProbeRound(ws, view, 'ell', { suggest: 20, record: false });
    expect(r.payload.features).toBe('morphology');
    expect(r.payload.exploit).toBe(0.6);
    expect(r.suggestions.reasons.filter((x) => x === 'top').length).toBe(12);
    expect(() => setSearchSettings(ws, 'ell', { exploit: 2 })).toThrow(/exploit must be in \[0, 1\]/);
    expect(() => setSearchSettings(ws, 'ell', { features: 'pixels' as never })).toThrow(/unknown feature set/);
    expect(searchSettings(ws, 'ell').features).toBe('morphology');
  });
});
