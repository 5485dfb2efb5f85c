import { AppError } from '@app/core/errors';
import { withWorkspace, type NeighbourRequest } from '../engine';
import { parseCommandArgs, parseIntFlag, parseNumberFlag, requirePositional, toJsonText, type Command } from '../command';

const usage = `usage: latent-sky search WORKSPACE --like ID [--k 20] [--model KEY] [--ef N]
                         [--box RAMIN,RAMAX,DECMIN,DECMAX] [--cone RA,DEC,RADIUS]
                         [--search NAME [--label positive,negative,unsure,none] [--min-score X] [--max-score Y]] [--json]

The k objects most similar to object ID (cosine similarity of the embeddings,
or euclidean distance for embeddings imported with --metric l2),
through the vector index when it exists (latent-sky build-index), else exactly.
Filters: a sky box (RA may wrap: 350,10,...) or cone (degrees), the labels of a
search, and a range of that search's latest scores (latent-sky probe). Very
selective filters switch to an exact scan of the objects that pass.

  --like ID       object id (or #IDX for an object index)
  --k N           neighbours to return (default 20)
  --ef N          HNSW candidate list size for this query (default: the index's)
  --json          print the result as JSON`;

const LABEL_NAMES = ['positive', 'negative', 'unsure', 'none'] as const;

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
        like: { type: 'string' },
        k: { type: 'string' },
        model: { type: 'string' },
        ef: { type: 'string' },
        box: { type: 'string' },
        cone: { type: 'string' },
        search: { type: 'string' },
        label: { type: 'string' },
        'min-score': { type: 'string' },
        'max-score': { type: 'string' },
        json: { type: 'boolean' },
      },
      usage,
    );
    const dir = requirePositional(positionals, 0, 'WORKSPACE', usage);
    if (!values.like) throw new AppError('BAD_INPUT', `--like ID is required\n${usage}`);
    const k = parseIntFlag(values.k, 'k', 20);
    if ((values.label || values['min-score'] || values['max-score']) && !values.search)
      throw new AppError('BAD_INPUT', '--label, --min-score and --max-score need --search NAME');
    return withWorkspace(dir, { readonly: true }, (engine) => {
      const ws = engine.ctx.ws();
      const idx = engine.discovery.objectIdx(values.like!);
      const q: NeighbourRequest = { idx, k, model: values.model, search: values.search };
      if (values.ef !== undefined) q.ef = parseIntFlag(values.ef, 'ef', 64);
      if (values.box) {
        const [raMin, raMax, decMin, decMax] = numbers(values.box, 4, 'box');
        q.box = { raMin, raMax, decMin, decMax };
      }
      if (values.cone) {
        const [ra, dec, radiusDeg] = numbers(values.cone, 3, 'cone');
        q.cone = { ra, dec, radiusDeg };
      }
      if (values.label)
        q.labels = values.label.split(',').map((s) => {
          const l = LABEL_NAMES.find((x) => x === s.trim());
          if (l === undefined) throw new AppError('BAD_INPUT', `--label: unknown label '${s}' (positive, negative, unsure, none)`);
          return l;
        });
      if (values['min-score'] !== undefined) q.minScore = parseNumberFlag(values['min-score'], 'min-score', -Infinity);
      if (values['max-score'] !== undefined) q.maxScore = parseNumberFlag(values['max-score'], 'max-score', Infinity);
      const r = engine.vectors.neighbours(q);
      const { modelKey, ms } = r;
      const filtered = Boolean(q.box || q.cone || q.labels || q.minScore !== undefined || q.maxScore !== undefined);
      const rows = Array.from(r.indices, (i, j) => {
        const o = ws.getObject(i);
        const near = r.metric === 'l2' ? { distance: r.distances[j] } : { similarity: r.similarities[j] };
        return { idx: i, id: o.id, ra: o.ra, dec: o.dec, ...near, truth: o.truth ?? null };
      });
      if (values.json)
        io.out(
          toJsonText({
            query: { idx, id: ws.getObject(idx).id },
            model: modelKey,
            metric: r.metric,
            method: r.method,
            passing: r.passing,
            ms,
            indexOpenMs: r.openMs,
            neighbours: rows,
          }),
        );
      else {
        io.out(
          `${rows.length} nearest to ${values.like} (model ${modelKey}, ${r.method}${filtered ? `, ${r.passing} objects pass the filter` : ''}, ${ms.toFixed(1)} ms)`,
        );
        io.out(
          `${'rank'.padStart(4)}  ${'id'.padEnd(24)} ${'ra'.padStart(10)} ${'dec'.padStart(10)}  ${r.metric === 'l2' ? '  distance' : 'similarity'}${rows.some((x) => x.truth) ? '  truth' : ''}`,
        );
        rows.forEach((x, j) =>
          io.out(
            `${String(j + 1).padStart(4)}  ${x.id.padEnd(24)} ${x.ra.toFixed(5).padStart(10)} ${x.dec.toFixed(5).padStart(10)}  ` +
              `${(x.similarity ?? x.distance ?? NaN).toFixed(4).padStart(10)}${x.truth ? `  ${x.truth}` : ''}`,
          ),
        );
      }
      return 0;
    });
  },
};

export default command;
