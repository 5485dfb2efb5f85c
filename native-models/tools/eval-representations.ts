/**
 * Per rare class, how well each representation can find it, on a demo
 * workspace (`latent-sky demo WS --seed S --features both` first: synthetic
 * survey, ls-vit-tiny embeddings, morphology features):
 *  - ceiling: the probe on ALL true labels (5-fold CV, ceiling.py, numpy),
 *    recall at K = class size;
 *  - loop: the demo's simulated astronomer (3 known examples, 5 rounds × 20
 *    labels, exploit share as given) — R@200, R@200 / what 200 places can
 *    hold, and recall of the visible members;
 * for the embedding, the morphology block, both, and the built-in pixel-PCA
 * baseline (main/node/services/pixel-embedding.ts: 32 components).
 *   npx tsx native-models/tools/eval-representations.ts --ws DIR [--model KEY] [--reps embedding,both,...] [--exploit 0.8] [--rounds 5] [--per-round 20] [--out DIR]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildRepresentation } from '../../app/ml/representation';
import { loadEmbeddingView } from '../../main/node/discovery/embedding-view';
import { simulateSearch } from '../../main/node/discovery/simulate';
import { visibilityRules } from '../../main/node/discovery/visibility-rules';
import { npyFloat32 } from '../../main/node/export/npy';
import { embedPixels, PIXEL_MODEL } from '../../main/node/vectors/pixel-embedding';
import { Workspace } from '../../main/node/workspace';

const { values } = parseArgs({ options: { ws: { type: 'string' }, exploit: { type: 'string' }, rounds: { type: 'string' }, 'per-round': { type: 'string' }, out: { type: 'string' }, seed: { type: 'string' }, model: { type: 'string' }, reps: { type: 'string' } } });
if (!values.ws) { console.error('usage: eval-representations.ts --ws DIR [--model KEY] [--reps embedding,morphology,both,pixel-pca] [--exploit 0.8] [--rounds 5] [--per-round 20] [--out DIR]'); process.exit(2); }
const RARE = ['lens', 'ring', 'tidal', 'merger'];
const exploit = Number(values.exploit ?? 0.8), rounds = Number(values.rounds ?? 5), perRound = Number(values['per-round'] ?? 20), seed = Number(values.seed ?? 1);
const out = resolve(values.out ?? join(values.ws, 'cache', 'eval-representations'));
mkdirSync(out, { recursive: true });

const ws = Workspace.open(values.ws);
try {
  if (!ws.embeddingModels().some((m) => m.modelKey === PIXEL_MODEL && m.done === ws.count())) await embedPixels(ws, () => {}, new AbortController().signal);
  const models = ws.embeddingModels().filter((m) => m.modelKey !== PIXEL_MODEL);
  const key = values.model ?? models[0].modelKey;
  if (!models.some((m) => m.modelKey === key)) { console.error(`no embeddings of model ${key} in ${values.ws} (has ${models.map((m) => m.modelKey).join(', ')})`); process.exit(2); }
  const view = loadEmbeddingView(ws, key);
  const pix = loadEmbeddingView(ws, PIXEL_MODEL);
  const m = ws.morphology()!;
  const morph = m.readAll();
  const truth = ws.truthColumn();
  const classes = [...new Set(truth.filter((t): t is string => t !== null))].sort();
  const labels = Int32Array.from(truth, (t) => classes.indexOf(t ?? ''));
  const reps: Record<string, { data: Float32Array; dim: number }> = {
    embedding: { data: view.unit, dim: view.dim },
    morphology: { data: morph, dim: m.dim },
    both: buildRepresentation('both', view.n, { data: view.unit, dim: view.dim }, { data: morph, dim: m.dim }),
    'pixel-pca': { data: pix.unit, dim: pix.dim },
  };
  const wanted = values.reps ? values.reps.split(',') : Object.keys(reps);
  for (const k of Object.keys(reps)) if (!wanted.includes(k)) delete reps[k];
  for (const [k, r] of Object.entries(reps)) writeFileSync(join(out, `${k}.npy`), npyFloat32(r.data, [view.n, r.dim]));
  writeFileSync(join(out, 'labels.npy'), npyFloat32(Float32Array.from(labels), [view.n]));
  writeFileSync(join(out, 'reps.json'), JSON.stringify({ reps: Object.keys(reps), classes: Object.fromEntries(RARE.map((c) => [c, classes.indexOf(c)])) }));
  const ceiling = JSON.parse(execFileSync('/usr/bin/python3', [resolve(import.meta.dirname, 'ceiling.py'), out]).toString()) as Record<string, Record<string, number>>;
  const rules = visibilityRules(ws);
  const loop: Record<string, Record<string, { r200: number; possible: number; visible: number | null; found: number }>> = {};
  for (const rep of Object.keys(reps)) {
    loop[rep] = {};
    for (const cls of RARE) {
      const v = rep === 'pixel-pca' ? pix : view;
      const features = rep === 'pixel-pca' ? 'embedding' : (rep as 'embedding' | 'morphology' | 'both');
      const r = simulateSearch(ws, v, truth, cls, `eval: ${cls}`, { rounds, perRound, seed, features, exploit, visible: rules.visible[cls], crossValidate: false });
      const last = r.rows.at(-1)!;
      loop[rep][cls] = { r200: last.recallAt200, possible: last.recallAt200Possible, visible: last.recallAt200Visible, found: last.positivesFound };
      ws.labels.deleteSearch(`eval: ${cls}`);
    }
  }
  const members = Object.fromEntries(RARE.map((c) => [c, truth.filter((t) => t === c).length]));
  console.log(JSON.stringify({ ws: ws.dir, model: view.modelKey, exploit, rounds, perRound, members, visibility: rules.rules, ceiling, loop }, null, 1));
  console.log('\n| representation | ' + RARE.map((c) => `${c} ceiling R@K | ${c} 5×20 R@200 (/max)`).join(' | ') + ' |');
  for (const rep of Object.keys(reps)) console.log(`| ${rep} | ` + RARE.map((c) => `${ceiling[rep][c].toFixed(2)} | ${loop[rep][c].r200.toFixed(2)} (${loop[rep][c].possible.toFixed(2)})`).join(' | ') + ' |');
} finally {
  ws.close();
}
