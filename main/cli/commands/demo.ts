import { resolve } from 'node:path';
import { AppError } from '@app/core/errors';
import { DEFAULT_EXPLOIT } from '@app/ml/active-learning';
import { FEATURE_SETS, isFeatureSet } from '@app/ml/representation';
import { tools, type DemoReport } from '../engine';
import { progressSink } from '../progress';
import { parseCommandArgs, parseIntFlag, parseNumberFlag, toJsonText, type Command } from '../command';

const DEFAULT_DIR = 'demo-ws';

const usage = `usage: latent-sky demo [WORKSPACE] [--count 20000] [--seed 1] [--model DIR|NAME] [--no-umap]
                       [--rounds 5] [--per-round 20] [--classes lens,ring,tidal,merger]
                       [--features both|embedding|morphology] [--exploit 0.8] [--json]

The whole discovery loop on the built-in synthetic survey, in WORKSPACE
(default ./${DEFAULT_DIR}): synthesise the survey, embed it with the default
model, build the vector index, project (PCA, UMAP), then for each rare class
simulate an astronomer who starts from 3 known examples and labels 20
suggested objects per round (answered from the synthetic truth). Prints, per
round, precision in the first 100 and recall in the first 200 of the list the
astronomer sees (confirmed finds, then candidates by score), and the same for
the model's score alone. Every step is resumable: rerun after Ctrl-C and
finished steps are skipped. Open the result with: latent-sky serve WORKSPACE

  --features SET  what the probe is fitted on: the embedding, the morphology
                  features, or both concatenated (default both)
  --exploit F     share of each round's suggestions from the top of the
                  ranking, the rest most uncertain (default 0.8)`;

function table(r: DemoReport): string[] {
  const out: string[] = [];
  out.push('class    members round labels found  mode        P@100  R@200 R@200/max vis.R@200 | model P@100 R@200 | CV AUC');
  for (const s of r.searches) {
    for (const row of s.rows) {
      const vis = row.recallAt200Visible === null ? '     -' : row.recallAt200Visible.toFixed(2).padStart(6);
      out.push(
        `${s.className.padEnd(8)} ${String(s.members).padStart(7)} ${String(row.round).padStart(5)} ${String(row.labels).padStart(6)} ${String(row.positivesFound).padStart(5)}  ` +
          `${row.mode.padEnd(10)}  ` +
          `${row.precisionAt100.toFixed(2).padStart(5)}  ${row.recallAt200.toFixed(2).padStart(5)}      ${row.recallAt200Possible.toFixed(2)}    ${vis} |       ` +
          `${row.modelPrecisionAt100.toFixed(2)}  ${row.modelRecallAt200.toFixed(2)} | ${row.cvAuc === null ? '  -' : row.cvAuc.toFixed(3)}`,
      );
    }
  }
  return out;
}

const command: Command = {
  summary: 'run the whole loop on a synthetic survey and measure how fast rare objects are found',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        count: { type: 'string' },
        seed: { type: 'string' },
        model: { type: 'string' },
        'no-umap': { type: 'boolean' },
        rounds: { type: 'string' },
        'per-round': { type: 'string' },
        classes: { type: 'string' },
        json: { type: 'boolean' },
        features: { type: 'string' },
        exploit: { type: 'string' },
      },
      usage,
    );
    const dir = resolve(positionals[0] ?? DEFAULT_DIR);
    const count = parseIntFlag(values.count, 'count', 20_000, 100);
    const classes = values.classes
      ? values.classes
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : await tools.demo.rareClasses();
    if (classes.length === 0) throw new AppError('BAD_INPUT', '--classes is empty');
    const features = values.features ?? 'both';
    if (!isFeatureSet(features)) throw new AppError('BAD_INPUT', `--features must be one of ${FEATURE_SETS.join(', ')}, got '${features}'`);
    const exploit = parseNumberFlag(values.exploit, 'exploit', DEFAULT_EXPLOIT);
    if (exploit < 0 || exploit > 1) throw new AppError('BAD_INPUT', `--exploit must be in [0, 1], got ${exploit}`);
    const modelDir = await tools.models.resolve(values.model);
    io.err(`demo workspace: ${dir} (${count} objects, seed ${values.seed ?? 1})`);
    const bar = progressSink(io.err, io.isTTY);
    const report = await tools.demo.run({
      dir,
      count,
      seed: parseIntFlag(values.seed, 'seed', 1, 0),
      modelDir,
      umap: !values['no-umap'],
      classes,
      rounds: parseIntFlag(values.rounds, 'rounds', 5, 0),
      perRound: parseIntFlag(values['per-round'], 'per-round', 20),
      features,
      exploit,
      signal: io.signal,
      onProgress: (stage, d, t) => bar.update(stage, d, t),
      onStep: (name, status, seconds, note) => {
        if (status === 'start') return;
        bar.end();
        io.err(`${name.padEnd(14)} ${status === 'skipped' ? 'already done' : `done in ${seconds!.toFixed(1)} s`}${note ? ` (${note})` : ''}`);
      },
    });
    bar.end();
    if (values.json) {
      io.out(toJsonText(report));
      return 0;
    }
    io.out(
      `Latent Sky demo: ${report.objects} synthetic objects in ${report.dir}, model ${report.model}, probe on ${report.features}, exploit ${report.exploit}, ${report.seconds.toFixed(0)} s`,
    );
    io.out('Simulated searches: P@100 / R@200 = precision in the first 100 / share of the class in the first 200 of');
    io.out('(confirmed finds, then unlabelled candidates by score); R@200/max = hits / min(members, 200);');
    io.out('vis.R@200 = share of the visible members in the first 200; "model" = ranking by the score alone.');
    for (const [cls, v] of Object.entries(report.visibility)) io.out(`visible ${cls}: ${v.rule}`);
    for (const line of table(report)) io.out(line);
    for (const s of report.skipped) io.out(`${s.className}: not simulated (${s.members} members in this survey)`);
    io.out(`explore it: latent-sky serve ${report.dir}`);
    return 0;
  },
};

export default command;
