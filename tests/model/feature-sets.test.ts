/**
 * Which representation finds rare objects: on a fresh synthetic sample
 * (seed 4321: never used for training, evaluation or the demo; rare classes
 * at 5 % each), the app's one-vs-rest probe (fitProbe, λ = 1) trained on a
 * stratified half and scored by recall@2K on the other half, for the bundled
 * encoder's embedding, the morphology block (app/features) and both
 * (app/ml/representation). The ordering is the claim: `both` — the default
 * of every search — must do at least as well as either block alone, on the
 * mean over the rare classes. The numbers are logged, not asserted; the
 * measured ones live in native-models/ls-vit-tiny/REPORT.md.
 */
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Cutout } from '@app/domain/cutout';
import { MorphologyExtractor } from '@app/features';
import { buildRepresentation } from '@app/ml/representation';
import { CLASS_NAMES, resolveOptions, surveyObject } from '@app/synth';
import { encode, loadModel, preprocessAll, probeRecallAt2K, stratifiedHalves } from './evaluation';

const MODEL = resolve(__dirname, '..', '..', 'native-models/ls-vit-tiny');
const RARE = ['lens', 'ring', 'tidal', 'merger'] as const;
const COUNT = 2400;
const SEED = 4321;

describe('probe feature sets on a fresh synthetic sample', () => {
  const recall: Record<string, Record<string, number>> = {};
  const mean = (set: string) => RARE.reduce((s, r) => s + recall[set][r], 0) / RARE.length;

  beforeAll(async () => {
    const model = await loadModel(MODEL);
    const o = resolveOptions({ count: COUNT, seed: SEED, rates: { lens: 0.05, ring: 0.05, tidal: 0.05, merger: 0.05 } });
    const cutouts: Cutout[] = [];
    const labels = new Int32Array(COUNT);
    for (let i = 0; i < COUNT; i++) {
      const it = surveyObject(o, i);
      cutouts.push(it.cutout);
      labels[i] = it.label;
    }
    const d = model.manifest.outputs.embedding.dim;
    const emb = (await encode(model, preprocessAll(model.manifest, cutouts), COUNT)).embedding;
    const ex = new MorphologyExtractor({ bands: o.bands, width: o.size, height: o.size });
    const morph = new Float32Array(COUNT * ex.dim);
    cutouts.forEach((c, i) => ex.run(c.data, morph, i * ex.dim));
    const { ref, test } = stratifiedHalves(labels);
    for (const set of ['embedding', 'morphology', 'both'] as const) {
      const rep = buildRepresentation(set, COUNT, { data: emb, dim: d }, { data: morph, dim: ex.dim });
      recall[set] = {};
      for (const r of RARE) recall[set][r] = probeRecallAt2K(rep.data, rep.dim, labels, ref, test, CLASS_NAMES.indexOf(r));
    }
    console.log('probe recall@2K by feature set', JSON.stringify(recall));
  }, 300_000);

  it('both is at least as good as the embedding alone and the morphology block alone (mean over rare classes)', () => {
    expect(mean('both')).toBeGreaterThanOrEqual(mean('embedding'));
    expect(mean('both')).toBeGreaterThanOrEqual(mean('morphology'));
  });
});
