import { tools } from '../engine';
import { progressSink } from '../progress';
import { parseCommandArgs, requirePositional, toJsonText, type Command } from '../command';

const usage = `usage: latent-sky merge WORKSPACE [--model KEY] [--partial] [--clean] [--json]

Assemble the shards written by \`latent-sky embed WORKSPACE --shard K/N\` (one per
cluster array task) into the workspace's embedding matrix. Checks the plan is
whole (shards 0..N-1, covering every object, same model and dimension) and that
every row was written; a missing shard or row is an error naming the tasks to
rerun. Merging again is safe.

  --model KEY   the model whose shards to merge (default: the only one with shards)
  --partial     merge what is there; missing rows stay not embedded
  --clean       delete the shard files after a complete merge
  --json        print the report as JSON`;

const command: Command = {
  summary: 'assemble sharded embeddings (embed --shard K/N) into one matrix, checked complete',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      { model: { type: 'string' }, partial: { type: 'boolean' }, clean: { type: 'boolean' }, json: { type: 'boolean' } },
      usage,
    );
    const dir = requirePositional(positionals, 0, 'WORKSPACE', usage);
    const bar = progressSink(io.err, io.isTTY);
    const r = await tools.cluster.merge(dir, {
      model: values.model,
      partial: values.partial,
      clean: values.clean,
      onProgress: (d, t) => bar.update('merging', d, t),
    });
    bar.end();
    if (values.json) io.out(toJsonText(r));
    else
      io.out(
        `merged ${r.merged} of ${r.rows} rows of '${r.modelKey}' from ${r.shards} shards in ${r.seconds.toFixed(1)} s${r.missing ? ` (${r.missing} missing)` : ''}`,
      );
    return 0;
  },
};

export default command;
