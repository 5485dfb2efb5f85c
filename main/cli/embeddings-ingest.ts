/** `latent-sky ingest WS --from embeddings`: the CLI side of main/node/ingest/embeddings. */
import { AppError } from '../../app/core/errors';
import { ingestEmbeddings } from '../node/ingest/embeddings/ingest';
import { METRICS, type Metric } from '../node/ingest/embeddings/model';
import { skippedSummary, type IngestProgress } from '../node/ingest/report';
import { toJsonText, type CliIO } from './command';

export const EMBEDDINGS_USAGE = `       latent-sky ingest WORKSPACE --from embeddings --vectors FILE|FILE:DATASET|COLUMN --catalog FILE|HATS_DIR
                        [--model-name NAME] [--metric cosine|l2]`;

export const EMBEDDINGS_HELP = `  embeddings    an embedding catalogue, no pixels: --catalog (CSV, FITS or
                VOTable table, Parquet file, or a HATS folder of
                Norder=K/Dir=D/Npix=N.parquet files) with row-aligned
                --vectors: a .npy (float32/float16/float64), an HDF5 dataset
                (FILE.h5[:/path]), a vector column of a Parquet or FITS file
                (FILE[:COLUMN], e.g. a '128E' column), or a vector column of
                the catalogue itself (--vectors COLUMN). The workspace holds
                no cutouts; --model-name (default: the vectors' file name),
                the dimension and --metric are recorded, and vectors of
                another model are refused. Streamed in blocks; rerun to resume.`;

export async function runEmbeddingsIngest(dir: string, values: Record<string, string | boolean | undefined>, io: CliIO, bar: { update(p: IngestProgress): void; end(): void }): Promise<number> {
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  const vectors = str('vectors'), catalog = str('catalog');
  if (!vectors || !catalog) throw new AppError('BAD_INPUT', `--from embeddings needs --vectors and --catalog\n${EMBEDDINGS_USAGE.trim()}`);
  const metric = str('metric');
  if (metric !== undefined && !METRICS.includes(metric as Metric)) throw new AppError('BAD_INPUT', `--metric must be cosine or l2, got '${metric}'`);
  let r;
  try {
    r = await ingestEmbeddings(dir, {
      catalog, vectors, modelName: str('model-name'), metric: metric as Metric | undefined,
      columns: { id: str('id-col'), ra: str('ra-col'), dec: str('dec-col') },
    }, {
      signal: io.signal,
      onProgress: (p) => {
        bar.update(p);
        if (!io.isTTY && !values.json) io.err(`progress ${p.done}/${p.total} skipped=${p.failed}`);
      },
      onPrepared: (p) => {
        for (const n of p.notes) io.err(`note: ${n}`);
        io.err(`importing ${p.rows} rows: model '${p.model.name}' [${p.model.key}] dim ${p.model.dim} ${p.model.metric}; catalogue read by ${p.readers.catalog}, vectors by ${p.readers.vectors}`);
      },
    });
  } finally {
    bar.end();
  }
  const { report } = r;
  if (values.json) io.out(toJsonText({ workspace: r.workspace, objects: r.objects, model: r.model, readers: r.readers, ...report, skippedSummary: skippedSummary(report.skipped) }));
  else {
    io.out(`${r.workspace}: ${report.source}: ${report.added} added, ${report.alreadyPresent} already present, ${report.skipped.length} skipped of ${report.total} in ${(report.elapsedMs / 1000).toFixed(1)} s; ${r.objects} objects (no pixels), model '${r.model.name}' dim ${r.model.dim} ${r.model.metric}${report.cancelled ? ' (cancelled: run again to resume)' : ''}`);
    for (const g of skippedSummary(report.skipped)) io.out(`  skipped ${g.count}: ${g.examples[0]}${g.count > 1 ? ` (and ${g.count - 1} like it)` : ''}`);
  }
  return report.cancelled ? 130 : 0;
}
