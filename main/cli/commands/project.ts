import { AppError } from '@app/core/errors';
import { tools, withWorkspace, type ProjectionParams } from '../engine';
import { progressSink } from '../progress';
import { parseCommandArgs, parseIntFlag, parseNumberFlag, requirePositional, toJsonText, type Command } from '../command';

const { pca: DEFAULT_PCA, umap: DEFAULT_UMAP } = tools.projection;

const usage = `usage: latent-sky project WORKSPACE --method umap|pca [--model KEY] [--force]
                          [--subsample 20000] [--neighbors 15] [--min-dist 0.1] [--epochs N] [--seed 1] [--json]

Compute a 2-D map of the embeddings (for the scatter view) in a worker
thread, cached in WORKSPACE/projections/ by model, method and parameters.
PCA: the first two principal components. UMAP (umap-js): fitted on a seeded
subsample, every other object placed from its nearest fitted neighbours, so
a million objects finish in minutes. Ctrl-C cancels.

  --force           recompute even when cached
  --subsample N     UMAP: objects to fit on (default ${DEFAULT_UMAP.subsample})
  --neighbors K     UMAP: neighbourhood size (default ${DEFAULT_UMAP.nNeighbors})
  --min-dist D      UMAP: minimum distance (default ${DEFAULT_UMAP.minDist})
  --epochs N        UMAP: optimisation epochs (default: umap-js's choice for the size)
  --seed S          UMAP: random seed (default ${DEFAULT_UMAP.seed})
  --json            print the projection's metadata as JSON`;

const command: Command = {
  summary: 'compute a 2-D map of the embeddings (PCA or UMAP), cached in the workspace',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        method: { type: 'string' },
        model: { type: 'string' },
        force: { type: 'boolean' },
        subsample: { type: 'string' },
        neighbors: { type: 'string' },
        'min-dist': { type: 'string' },
        epochs: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean' },
      },
      usage,
    );
    const dir = requirePositional(positionals, 0, 'WORKSPACE', usage);
    const method = values.method ?? '';
    let params: ProjectionParams;
    if (method === 'pca') params = { ...DEFAULT_PCA };
    else if (method === 'umap')
      params = {
        ...DEFAULT_UMAP,
        subsample: parseIntFlag(values.subsample, 'subsample', DEFAULT_UMAP.subsample, 100),
        nNeighbors: parseIntFlag(values.neighbors, 'neighbors', DEFAULT_UMAP.nNeighbors, 2),
        minDist: parseNumberFlag(values['min-dist'], 'min-dist', DEFAULT_UMAP.minDist),
        nEpochs: parseIntFlag(values.epochs, 'epochs', 0, 0),
        seed: parseIntFlag(values.seed, 'seed', DEFAULT_UMAP.seed, 0),
      };
    else throw new AppError('BAD_INPUT', `--method must be umap or pca, got '${method}'\n${usage}`);
    return withWorkspace(dir, {}, async (engine) => {
      const bar = progressSink(io.err, io.isTTY);
      const r = await engine.vectors.project(params, {
        model: values.model,
        force: values.force,
        signal: io.signal,
        onProgress: (p) => bar.update(`${method} ${p.stage}`, p.done, p.total),
      });
      bar.end();
      if (values.json) io.out(toJsonText({ ...r.meta, cached: r.cached, path: r.path }));
      else
        io.out(
          `${r.cached ? 'cached' : 'computed'} ${method.toUpperCase()} projection of ${r.meta.placed} objects (model ${r.model}` +
            `${r.cached ? '' : `, ${r.meta.seconds} s`}) -> ${r.path} (N x 2 float32)`,
        );
      return 0;
    });
  },
};

export default command;
