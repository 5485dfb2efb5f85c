import { AppError } from '@app/core/errors';
import { tools, withWorkspace, type EmbedProgress, type EmbedReport, type EmbedStartInfo } from '../engine';
import { parseCommandArgs, parseIntFlag, requirePositional, toJsonText, type CliIO, type Command } from '../command';

const DEFAULT_BATCH = tools.models.defaultBatch;

const usage = `usage: latent-sky embed WORKSPACE [--model DIR|NAME] [--providers LIST] [--batch N] [--threads N] [--force] [--shard K/N] [--json]

Encode every object of WORKSPACE that has no embedding yet for the model, in a
worker thread, and store the vectors in the workspace. A finished run makes
the model the workspace's active one (the app and the other commands use it). Resumable: an
interrupted run (Ctrl-C, crash, kill) continues where it stopped; no object is
encoded twice. The final line names the execution provider that ran.

  --model DIR|NAME   a model folder or an installed model (latent-sky models); default: the bundled model
  --providers LIST   execution providers to try in order, e.g. cuda,cpu (default: cuda, dml on Windows,
                     coreml on macOS, webgpu, then cpu); each failure is reported with its reason
  --batch N          images per inference batch (default ${DEFAULT_BATCH})
  --threads N        ONNX Runtime intra-op threads (default: one per core)
  --force            forget this model's existing embeddings and encode everything again
  --shard K/N        encode only part K of N (0-based row ranges) into its own files, for
                     cluster array tasks (latent-sky slurm); latent-sky merge assembles them
  --json             print the report as JSON on stdout

Errors (model manifest does not match its ONNX file, corrupt ONNX file,
unknown provider, unusable workspace) exit with code 2 and a one-line message.`;

function clock(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '--:--';
  const t = Math.round(s);
  const h = Math.floor(t / 3600),
    m = Math.floor((t % 3600) / 60),
    sec = t % 60;
  return `${h ? `${h}:${String(m).padStart(2, '0')}` : m}:${String(sec).padStart(2, '0')}`;
}

function progressLine(p: EmbedProgress, width = 28): string {
  const frac = p.total > 0 ? p.done / p.total : 1;
  const fill = Math.round(frac * width);
  const skipped = p.skipped ? `, ${p.skipped} skipped` : '';
  return `[${'#'.repeat(fill)}${' '.repeat(width - fill)}] ${p.done}/${p.total} ${(frac * 100).toFixed(1)}%  ${p.rate.toFixed(0)} img/s  ETA ${clock(p.etaSeconds)}${skipped}`;
}

function attemptsText(info: EmbedStartInfo): string {
  const failed = info.attempts.filter((a) => !a.ok);
  return failed.length ? ` (not used: ${failed.map((a) => `${a.provider}: ${a.reason}`).join('; ')})` : '';
}

function summary(r: EmbedReport): string {
  const i = r.info;
  const head = r.cancelled ? 'cancelled:' : 'embedded';
  return (
    `${head} ${r.encoded} objects with ${i.modelName} ${i.modelVersion} on ${i.provider}: ${r.done}/${r.total} done, ` +
    `${r.skipped} skipped, ${r.rate.toFixed(1)} images/s (batch ${i.batch}, ${r.seconds.toFixed(1)} s)${attemptsText(i)}`
  );
}

const command: Command = {
  summary: 'encode the objects of a workspace with a model (resumable, progress, cancel)',
  usage,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        model: { type: 'string' },
        providers: { type: 'string' },
        batch: { type: 'string' },
        threads: { type: 'string' },
        force: { type: 'boolean' },
        shard: { type: 'string' },
        json: { type: 'boolean' },
      },
      usage,
    );
    const workspace = requirePositional(positionals, 0, 'WORKSPACE', usage);
    const providers = values.providers === undefined ? undefined : tools.models.parseProviders(values.providers);
    const batch = parseIntFlag(values.batch, 'batch', DEFAULT_BATCH);
    const threads = parseIntFlag(values.threads, 'threads', 0, 0);
    let lastPlain = -Infinity;
    let barShown = false;
    const shard = values.shard === undefined ? undefined : tools.cluster.parseShard(values.shard);
    // a shard task (one of many on a shared filesystem) never writes the catalogue
    const report = await withWorkspace(workspace, { readonly: shard !== undefined }, (engine) =>
      engine.vectors.embed({
        model: values.model,
        providers,
        batch,
        threads,
        force: values.force,
        signal: io.signal,
        ...(shard ? { shard } : {}),
        onStart: (info) => {
          io.err(
            `embedding ${info.toDo} of ${info.total} objects (${info.alreadyDone} already done) with ${info.modelName} ${info.modelVersion} [${info.modelKey}] on ${info.provider}`,
          );
          for (const n of info.notes) io.err(`note: ${n}`);
        },
        onProgress: (p) => {
          if (io.isTTY) {
            process.stderr.write(`\r${progressLine(p)}\x1b[K`);
            barShown = true;
          } else if (performance.now() - lastPlain > 2000 || p.done === p.total) {
            lastPlain = performance.now();
            io.err(`progress ${p.done}/${p.total} encoded=${p.encoded} skipped=${p.skipped} rate=${p.rate.toFixed(1)}/s eta=${clock(p.etaSeconds)}`);
          }
        },
      }),
    );
    if (barShown) process.stderr.write('\n');
    for (const s of report.skippedObjects.slice(0, 20)) io.err(`skipped object ${s.idx}: ${s.reason}`);
    if (report.skipped > 20) io.err(`... ${report.skipped - 20} more skipped (see --json)`);
    if (values.json) {
      io.out(toJsonText(report));
      io.err(summary(report));
    } else io.out(summary(report));
    if (report.cancelled) throw new AppError('CANCELLED', `cancelled after ${report.encoded} objects; run the same command again to continue`);
    return 0;
  },
};

export default command;
