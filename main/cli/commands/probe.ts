import { AppError } from '@app/core/errors';
import { FEATURE_SETS, isFeatureSet } from '@app/ml/representation';
import { withWorkspace, type Label } from '../engine';
import { parseCommandArgs, parseIntFlag, parseNumberFlag, requirePositional, toJsonText, type Command } from '../command';

const usage = `usage: latent-sky probe WORKSPACE --search NAME [--create] [--pos ID,...] [--neg ID,...] [--unsure ID,...]
                        [--clear ID,...] [--top 100] [--suggest 20] [--exploit 0.8] [--l2 1] [--model KEY]
                        [--features both|embedding|morphology] [--json]

Few-shot search for more objects like the positive examples. Adds the given
labels to search NAME, then scores every object: with at least 3 negatives a
class-balanced L2 logistic regression on the embeddings (the linear probe),
with fewer a cosine similarity to the positives ("more like these"). Prints
the top unlabelled candidates, a held-out estimate (cross-validated AUC) and
the objects to label next (active learning: top candidates and the most
uncertain ones). Each run is recorded as a round of the search.

  --search NAME   the search (--create makes it when it does not exist)
  --pos/--neg/--unsure ID,...   label objects (ids, or #IDX)
  --clear ID,...  remove labels
  --top N         candidates to list (default 100)
  --suggest N     objects to label next (default 20)
  --exploit F     share of suggestions taken from the top (default: the search's, 0.8); kept for the search
  --features SET  what the probe is fitted on: embedding, morphology (features computed
                  from the cutouts; missing ones are computed first) or both (default:
                  the search's, both); kept for the search
  --l2 L          probe L2 penalty on standardised features (default 1)
  --json          print the round as JSON`;

const ids = (v: string | undefined) =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

const command: Command = {
  summary: 'few-shot search: label examples, fit the linear probe, rank candidates, suggest next labels',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        search: { type: 'string' },
        create: { type: 'boolean' },
        pos: { type: 'string' },
        neg: { type: 'string' },
        unsure: { type: 'string' },
        clear: { type: 'string' },
        top: { type: 'string' },
        suggest: { type: 'string' },
        exploit: { type: 'string' },
        l2: { type: 'string' },
        model: { type: 'string' },
        json: { type: 'boolean' },
        features: { type: 'string' },
      },
      usage,
    );
    const dir = requirePositional(positionals, 0, 'WORKSPACE', usage);
    const search = values.search;
    if (!search) throw new AppError('BAD_INPUT', `--search NAME is required\n${usage}`);
    const top = parseIntFlag(values.top, 'top', 100);
    const suggest = parseIntFlag(values.suggest, 'suggest', 20, 0);
    const exploit = values.exploit === undefined ? undefined : parseNumberFlag(values.exploit, 'exploit', 0.8);
    if (exploit !== undefined && (exploit < 0 || exploit > 1)) throw new AppError('BAD_INPUT', `--exploit must be in [0, 1], got ${exploit}`);
    const features = values.features;
    if (features !== undefined && !isFeatureSet(features))
      throw new AppError('BAD_INPUT', `--features must be one of ${FEATURE_SETS.join(', ')}, got '${features}'`);
    const l2 = parseNumberFlag(values.l2, 'l2', 1);
    if (!(l2 > 0)) throw new AppError('BAD_INPUT', `--l2 must be > 0, got ${l2}`);
    return withWorkspace(dir, {}, async (engine) => {
      const d = engine.discovery;
      if (!d.hasSearch(search) && !values.create) throw new AppError('UNKNOWN_SEARCH', `no search named '${search}' in ${dir} (add --create to start one)`);
      const model = engine.vectors.modelKey(values.model);
      const entries: { idx: number; label: Label | null }[] = [];
      const add = (list: string | undefined, label: Label | null) => ids(list).forEach((id) => entries.push({ idx: d.objectIdx(id), label }));
      add(values.pos, 'positive');
      add(values.neg, 'negative');
      add(values.unsure, 'unsure');
      add(values.clear, null);
      if (!d.hasSearch(search)) d.createSearch(search);
      if (entries.length) d.setLabels(search, entries);
      const settings = d.settings(search, { features, exploit });
      if (settings.features !== 'embedding') await d.ensureFeatures(io.err);
      const r = d.round(search, { top, suggest, l2, model });
      const p = r.payload;
      if (values.json) {
        io.out(toJsonText({ search, round: r.round, ...p }));
        return 0;
      }
      const cv = p.cv
        ? `held-out AUC ${p.cv.auc.toFixed(3)}, AP ${p.cv.averagePrecision.toFixed(3)} (${p.cv.folds}-fold)`
        : 'no held-out estimate (needs 2+ of each class)';
      io.out(
        `search '${search}' round ${r.round}: ${p.mode === 'probe' ? `linear probe on ${p.features}` : 'similarity to positives'} on ${p.positives} positive, ${p.negatives} ` +
          `negative labels (${p.unsure} unsure); ${cv}; fit ${p.fitMs} ms, scoring ${p.scoreMs} ms`,
      );
      if (p.note) io.out(`note: ${p.note}`);
      io.out(`top ${p.top.idx.length} unlabelled candidates (model ${p.model}):`);
      p.top.ids.forEach((id, j) => io.out(`${String(j + 1).padStart(4)}  ${id.padEnd(24)} ${p.top.scores[j].toFixed(4)}`));
      io.out(
        `label next (${p.suggestions.idx.length}): ${p.suggestions.idx.map((i, j) => `${engine.ctx.ws().getObject(i).id}${p.suggestions.reasons[j] === 'uncertain' ? '?' : ''}`).join(', ')}`,
      );
      io.out('(? = the probe is least sure about it)');
      return 0;
    });
  },
};

export default command;
