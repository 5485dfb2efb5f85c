import { AppError } from '../../../app/core/errors';
import { loadEmbeddingView, objectIdx } from '../../node/discovery/embedding-view';
import { loadScores } from '../../node/discovery/scores-cache';
import { compileFilter, type NeighbourFilter } from '../../node/index/filters';
import { openIndex } from '../../node/index/index-service';
import { findNeighbours, queryVector } from '../../node/index/neighbours';
import { LABEL_CODE, Workspace } from '../../node/workspace';
import { parseCommandArgs, parseIntFlag, parseNumberFlag, requirePositional, toJsonText, type Command } from '../command';

const usage = `usage: latent-sky search WORKSPACE --like ID [--k 20] [--model KEY] [--ef N]
                         [--box RAMIN,RAMAX,DECMIN,DECMAX] [--cone RA,DEC,RADIUS]
                         [--search NAME [--label positive,negative,unsure,none] [--min-score X] [--max-score Y]] [--json]

The k objects most similar to object ID (cosine similarity of the embeddings),
through the vector index when it exists (latent-sky index), else exactly.
Filters: a sky box (RA may wrap: 350,10,...) or cone (degrees), the labels of a
search, and a range of that search's latest scores (latent-sky probe). Very
selective filters switch to an exact scan of the objects that pass.

  --like ID       object id (or #IDX for an object index)
  --k N           neighbours to return (default 20)
  --ef N          HNSW candidate list size for this query (default: the index's)
  --json          print the result as JSON`;

const LABEL_NAMES: Record<string, number> = { positive: LABEL_CODE.positive, negative: LABEL_CODE.negative, unsure: LABEL_CODE.unsure, none: 0 };

function numbers(v: string, n: number, flag: string): number[] {
  const parts = v.split(',').map((s) => Number(s.trim()));
  if (parts.length !== n || parts.some((x) => !Number.isFinite(x))) throw new AppError('BAD_INPUT', `--${flag} needs ${n} comma-separated numbers, got '${v}'`);
  return parts;
}

const command: Command = {
  summary: 'find the objects most similar to one object (k-NN with sky/label/score filters)',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        like: { type: 'string' }, k: { type: 'string' }, model: { type: 'string' }, ef: { type: 'string' },
        box: { type: 'string' }, cone: { type: 'string' }, search: { type: 'string' }, label: { type: 'string' },
        'min-score': { type: 'string' }, 'max-score': { type: 'string' }, json: { type: 'boolean' },
      },
      usage,
    );
    const dir = requirePositional(positionals, 0, 'WORKSPACE', usage);
    if (!values.like) throw new AppError('BAD_INPUT', `--like ID is required\n${usage}`);
    const k = parseIntFlag(values.k, 'k', 20);
    const ws = Workspace.open(dir, { readonly: true });
    try {
      const idx = objectIdx(ws, values.like);
      const view = loadEmbeddingView(ws, values.model);
      if (!view.done[idx]) throw new AppError('NO_EMBEDDINGS', `object '${values.like}' has no '${view.modelKey}' embedding yet`);
      const f: NeighbourFilter = {};
      if (values.box) {
        const [raMin, raMax, decMin, decMax] = numbers(values.box, 4, 'box');
        f.box = { raMin, raMax, decMin, decMax };
      }
      if (values.cone) {
        const [ra, dec, radiusDeg] = numbers(values.cone, 3, 'cone');
        f.cone = { ra, dec, radiusDeg };
      }
      if ((values.label || values['min-score'] || values['max-score']) && !values.search)
        throw new AppError('BAD_INPUT', '--label, --min-score and --max-score need --search NAME');
      if (values.search) {
        if (!ws.labels.hasSearch(values.search)) throw new AppError('UNKNOWN_SEARCH', `no search named '${values.search}' in ${ws.dir}`);
        if (values.label) {
          const accept = values.label.split(',').map((s) => {
            const c = LABEL_NAMES[s.trim()];
            if (c === undefined) throw new AppError('BAD_INPUT', `--label: unknown label '${s}' (positive, negative, unsure, none)`);
            return c;
          });
          f.labels = { column: ws.labels.column(values.search), accept };
        }
        if (values['min-score'] !== undefined || values['max-score'] !== undefined) {
          const s = loadScores(ws, values.search, view.modelKey);
          if (!s) throw new AppError('NOT_FOUND', `search '${values.search}' has no scores for model '${view.modelKey}' yet (run latent-sky probe)`);
          f.score = { scores: s.scores, min: parseNumberFlag(values['min-score'], 'min-score', -Infinity), max: parseNumberFlag(values['max-score'], 'max-score', Infinity) };
        }
      }
      const ra = ws.column('ra');
      const dec = ws.column('dec');
      const filter = compileFilter(f, { ra, dec }, view.n);
      const index = openIndex(ws, view, values.ef === undefined ? undefined : parseIntFlag(values.ef, 'ef', 64));
      const t0 = performance.now();
      const r = findNeighbours({ unitRows: view.unit, dim: view.dim, index, done: view.done, doneCount: view.doneCount }, queryVector({ unitRows: view.unit, dim: view.dim, index }, idx), { k, exclude: idx, filter });
      const ms = performance.now() - t0;
      const truth = ws.truthColumn();
      const rows = Array.from(r.indices, (i, j) => {
        const o = ws.getObject(i);
        return { idx: i, id: o.id, ra: o.ra, dec: o.dec, similarity: r.similarities[j], truth: truth[i] };
      });
      if (values.json) io.out(toJsonText({ query: { idx, id: ws.getObject(idx).id }, model: view.modelKey, method: r.method, passing: filter?.passing ?? view.doneCount, ms, neighbours: rows }));
      else {
        io.out(`${rows.length} nearest to ${values.like} (model ${view.modelKey}, ${r.method}${filter ? `, ${filter.passing} objects pass the filter` : ''}, ${ms.toFixed(1)} ms)`);
        io.out(`${'rank'.padStart(4)}  ${'id'.padEnd(24)} ${'ra'.padStart(10)} ${'dec'.padStart(10)}  similarity${truth.some((t) => t) ? '  truth' : ''}`);
        rows.forEach((x, j) =>
          io.out(`${String(j + 1).padStart(4)}  ${x.id.padEnd(24)} ${x.ra.toFixed(5).padStart(10)} ${x.dec.toFixed(5).padStart(10)}  ${x.similarity.toFixed(4).padStart(10)}${x.truth ? `  ${x.truth}` : ''}`),
        );
      }
      return 0;
    } finally {
      ws.close();
    }
  },
};

export default command;
