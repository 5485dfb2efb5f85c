import { fileURLToPath } from 'node:url';
import { tools } from '../engine';
import { AppError } from '@app/core/errors';
import { parseCommandArgs, parseIntFlag, requirePositional, toJsonText, type Command } from '../command';

const usage = `usage: latent-sky slurm WORKSPACE --tasks N [--partition P] [--gpus-per-task G] [--cpus-per-task C]
                        [--time HH:MM:SS] [--mem 8G] [--account A] [--model DIR|NAME] [--batch B]
                        [--providers LIST] [--max-parallel M] [--command CMD] [--out DIR] [--json]

Write a ready Slurm job for embedding WORKSPACE on a cluster: embed.sbatch (a
job array, task K runs \`latent-sky embed WORKSPACE --shard K/N\`), merge.sbatch
(merge + index, started only when every task succeeded) and submit.sh, in
WORKSPACE/slurm (or --out). The workspace must be on a filesystem every node
sees. Run ./submit.sh on the login node. A failed or pre-empted task can be
resubmitted: it encodes only what its shard is missing.

  --tasks N          array tasks = shards
  --gpus-per-task G  GPUs per task (then --providers defaults to cuda,cpu; install
                     with ONNXRUNTIME_NODE_INSTALL=cuda12 on the cluster)
  --command CMD      how the nodes run latent-sky (default: this node and this install)`;

const command: Command = {
  summary: 'write an sbatch job array (one task per shard) plus a dependent merge job',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        tasks: { type: 'string' },
        partition: { type: 'string' },
        'gpus-per-task': { type: 'string' },
        'cpus-per-task': { type: 'string' },
        time: { type: 'string' },
        mem: { type: 'string' },
        account: { type: 'string' },
        model: { type: 'string' },
        batch: { type: 'string' },
        providers: { type: 'string' },
        'max-parallel': { type: 'string' },
        command: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
      },
      usage,
    );
    const dir = requirePositional(positionals, 0, 'WORKSPACE', usage);
    if (values.tasks === undefined) throw new AppError('BAD_INPUT', `--tasks N is required\n${usage}`);
    if (!tools.workspace.isWorkspace(dir)) throw new AppError('WORKSPACE_INVALID', `${dir} is not a Latent Sky workspace`);
    const stats = tools.workspace.stats(dir);
    const objects = stats.objects;
    if (!stats.pixels) throw new AppError('UNAVAILABLE', `${dir} holds no pixels (an embedding catalogue): there is nothing to embed`);
    const bin = fileURLToPath(new URL('../bin.mjs', import.meta.url));
    const opt = (k: string, min: number) =>
      values[k as keyof typeof values] === undefined ? undefined : parseIntFlag(values[k as keyof typeof values] as string, k, 0, min);
    const r = await tools.cluster.slurm(
      {
        workspace: dir,
        tasks: parseIntFlag(values.tasks, 'tasks', 1, 1),
        partition: values.partition,
        gpusPerTask: opt('gpus-per-task', 0),
        cpusPerTask: opt('cpus-per-task', 1),
        time: values.time,
        mem: values.mem,
        account: values.account,
        model: values.model,
        batch: opt('batch', 1),
        providers: values.providers,
        maxParallel: opt('max-parallel', 1),
        command: values.command,
        outDir: values.out,
      },
      `'${process.execPath}' '${bin}'`,
    );
    if (values.json) io.out(toJsonText({ ...r, objects }));
    else io.out(`wrote ${r.embed}, ${r.merge} and ${r.submit} (${values.tasks} tasks over ${objects} objects); submit with: ${r.submit}`);
    return 0;
  },
};

export default command;
