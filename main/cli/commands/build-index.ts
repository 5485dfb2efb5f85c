import { progressSink } from '../progress';
import { withWorkspace } from '../engine';
import { parseCommandArgs, parseIntFlag, requirePositional, toJsonText, type Command } from '../command';

const usage = `usage: latent-sky build-index WORKSPACE [--model KEY] [--rebuild] [--m 16] [--ef-construction 128] [--ef 64] [--json]

Build or update the vector index (HNSW, cosine) of a model's embeddings, kept
in WORKSPACE/index/. Objects embedded since the last run are added; the index
is rebuilt when the embeddings were recomputed, the parameters change or with
--rebuild. Ctrl-C cancels (nothing is saved; rerun to build).

  --model KEY            embedding model key (default: the workspace's active model)
  --rebuild              build from scratch
  --m M                  HNSW connectivity (default 16)
  --ef-construction N    candidate list size while building (default 128)
  --ef N                 candidate list size of queries (default 64; stored, used by search)
  --json                 print the result as JSON`;

const command: Command = {
  summary: "build or update the vector index of a workspace's embeddings",
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        model: { type: 'string' },
        rebuild: { type: 'boolean' },
        m: { type: 'string' },
        'ef-construction': { type: 'string' },
        ef: { type: 'string' },
        json: { type: 'boolean' },
      },
      usage,
    );
    return withWorkspace(requirePositional(positionals, 0, 'WORKSPACE', usage), {}, async (engine) => {
      const params = {
        ...(values.m !== undefined ? { connectivity: parseIntFlag(values.m, 'm', 16, 2) } : {}),
        ...(values['ef-construction'] !== undefined ? { expansionAdd: parseIntFlag(values['ef-construction'], 'ef-construction', 128) } : {}),
        ...(values.ef !== undefined ? { expansionSearch: parseIntFlag(values.ef, 'ef', 64) } : {}),
      };
      const bar = progressSink(io.err, io.isTTY);
      const r = await engine.vectors.index({
        model: values.model,
        rebuild: values.rebuild,
        params,
        signal: io.signal,
        onProgress: (d, t) => bar.update('indexing', d, t),
      });
      bar.end();
      if (values.json) io.out(toJsonText(r));
      else
        io.out(
          `${r.rebuilt ? 'built' : 'updated'} index of '${r.model}': ${r.state.size} vectors (${r.added} added) ` +
            `M=${r.state.params.connectivity} efConstruction=${r.state.params.expansionAdd} ef=${r.state.params.expansionSearch} in ${r.seconds.toFixed(1)} s -> ${r.path}`,
        );
      return 0;
    });
  },
};

export default command;
