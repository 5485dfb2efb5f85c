import { AppError } from '@app/core/errors';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { IngestOptions, IngestStartInput } from '@app/contracts/ingest';
import { tools, type IngestProgress, type IngestReport } from '../engine';
import { parseCommandArgs, parseIntFlag, parseNumberFlag, requirePositional, toJsonText, type CliIO, type Command } from '../command';

const { defaults: DEFAULTS, skippedSummary } = tools.ingest;

const usage = `usage: latent-sky ingest WORKSPACE --from legacysurvey --catalog FILE [--layer ls-dr10]
                        [--pixscale 0.262] [--size 64] [--bands grz] [--base-url URL]
                        [--concurrency 4] [--rate 8] [--timeout 60] [--retries 5] [--cache-dir DIR]
                        [--bricks survey-bricks.fits[.gz] [--coadd-url URL]]
       latent-sky ingest WORKSPACE --from folder DIR [--catalog FILE] [--size 64] [--rgb-as grz|rgb]
       latent-sky ingest WORKSPACE --from hdf5 FILE [--size N] [--limit N]
       latent-sky ingest WORKSPACE --from embeddings --vectors FILE|FILE:DATASET|COLUMN --catalog FILE|HATS_DIR
                        [--model-name NAME] [--metric cosine|l2]
  common: [--ra-col NAME] [--dec-col NAME] [--id-col NAME] [--json]

Bring real survey objects into a workspace (created when missing).

  legacysurvey  fetch FITS cutouts (nanomaggies) for every catalogue row (CSV,
                VOTable or FITS table with ra/dec columns) from the Legacy
                Survey viewer cutout service. Downloads are cached (default
                WORKSPACE/cache/legacysurvey) and validated; a killed or
                cancelled run (Ctrl-C) resumes without fetching again.
                --rate is requests per second over all --concurrency lanes.
                With --bricks (the survey-bricks table, file or URL) whole
                coadd brick images are fetched from --coadd-url (default
                ${DEFAULTS.coaddUrl}) once per brick and
                stamps cut locally with the WCS: better for dense catalogues.
  folder        import FITS cutouts (one multi-band cube per file, or one file
                per band) and PNG/JPEG colour cutouts (stored as bands R,G,B,
                unit u8). Coordinates from --catalog (a 'file' column, plus
                'band' for one-file-per-band) or from each FITS WCS.
                Images are centre-cropped / resampled to the workspace size.
                --rgb-as grz (default) stores colour planes as z<-R, r<-G,
                g<-B (the Legacy Survey viewer's colours) so g,r,z models
                read them; --rgb-as rgb keeps bands R,G,B.
  hdf5          import a Multimodal Universe Legacy Survey HDF5 file
                (image_array, image_band, ra, dec, object_id, catalogue
                scalars into extra columns), read in chunks.
  embeddings    an embedding catalogue, no pixels: --catalog (CSV, FITS or
                VOTable table, Parquet file, or a HATS folder of
                Norder=K/Dir=D/Npix=N.parquet files) with row-aligned
                --vectors: a .npy (float32/float16/float64), an HDF5 dataset
                (FILE.h5[:/path]), a vector column of a Parquet or FITS file
                (FILE[:COLUMN], e.g. a '128E' column), or a vector column of
                the catalogue itself (--vectors COLUMN). The workspace holds
                no cutouts; --model-name (default: the vectors' file name),
                the dimension and --metric are recorded, and vectors of
                another model are refused. Streamed in blocks; rerun to resume.

Rows and files that cannot be used are skipped and listed with the reason;
the exit status is 0 when the ingest ran (even with skips), 2 for a fatal
input error (unreadable catalogue, missing ra/dec columns), 130 on cancel.`;

function progressBar(io: CliIO): { update(p: IngestProgress): void; end(): void } {
  let last = 0,
    drawn = false;
  return {
    update(p) {
      if (!io.isTTY) return;
      const now = Date.now();
      if (now - last < 100 && p.done < p.total) return;
      last = now;
      const width = 30,
        frac = p.total ? p.done / p.total : 1,
        filled = Math.round(frac * width);
      const eta = p.etaSeconds === null ? '?' : `${Math.ceil(p.etaSeconds)}s`;
      process.stderr.write(`\r${p.phase} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total}  failed ${p.failed}  ETA ${eta}   `);
      drawn = true;
    },
    end() {
      if (drawn) process.stderr.write('\n');
    },
  };
}

function rgbAs(v: string | undefined): 'grz' | 'rgb' {
  if (v === undefined || v === 'grz' || v === 'rgb') return v ?? 'grz';
  throw new AppError('BAD_INPUT', `--rgb-as must be grz or rgb, got '${v}'`);
}

function printReport(io: CliIO, dir: string, r: IngestReport, count: number): void {
  const parts = [`${r.added} added`];
  if (r.alreadyPresent) parts.push(`${r.alreadyPresent} already present`);
  if (r.fromCache !== undefined) parts.push(`${r.downloaded} downloaded, ${r.fromCache} from cache`);
  else if (r.downloaded !== undefined) parts.push(`${r.downloaded} brick files downloaded`);
  parts.push(`${r.skipped.length} skipped`);
  io.out(
    `${dir}: ${r.source}: ${parts.join(', ')} of ${r.total} in ${(r.elapsedMs / 1000).toFixed(1)} s; ${count} objects in the workspace${r.cancelled ? ' (cancelled: run again to resume)' : ''}`,
  );
  for (const g of skippedSummary(r.skipped)) {
    io.out(`  skipped ${g.count}: ${g.examples[0]}${g.count > 1 ? ` (and ${g.count - 1} like it)` : ''}`);
  }
}

/** --vectors: a file (made absolute, ':DATASET' or ':COLUMN' kept) or the name of a catalogue column */
function vectorsArg(v: string): string {
  if (existsSync(v)) return resolve(v);
  const at = v.indexOf(':', 1);
  if (at > 0 && existsSync(v.slice(0, at))) return `${resolve(v.slice(0, at))}${v.slice(at)}`;
  return v;
}

const command: Command = {
  summary: 'import objects: Legacy Survey cutouts for a catalogue, a folder of images, an HDF5 file, an embedding catalogue',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        from: { type: 'string' },
        catalog: { type: 'string' },
        layer: { type: 'string' },
        pixscale: { type: 'string' },
        size: { type: 'string' },
        bands: { type: 'string' },
        'base-url': { type: 'string' },
        concurrency: { type: 'string' },
        rate: { type: 'string' },
        timeout: { type: 'string' },
        retries: { type: 'string' },
        'cache-dir': { type: 'string' },
        'ra-col': { type: 'string' },
        'dec-col': { type: 'string' },
        'id-col': { type: 'string' },
        limit: { type: 'string' },
        'rgb-as': { type: 'string' },
        bricks: { type: 'string' },
        'coadd-url': { type: 'string' },
        json: { type: 'boolean' },
        vectors: { type: 'string' },
        'model-name': { type: 'string' },
        metric: { type: 'string' },
      },
      usage,
    );
    const dir = requirePositional(positionals, 0, 'WORKSPACE', usage);
    const from = values.from;
    if (!from || !['legacysurvey', 'folder', 'hdf5', 'embeddings'].includes(from))
      throw new AppError('BAD_INPUT', `--from must be legacysurvey, folder, hdf5 or ` + `embeddings${from ? `, got '${from}'` : ''}\n${usage}`);
    const o: IngestOptions = {};
    if (values.layer !== undefined) o.layer = values.layer;
    if (values.size !== undefined) o.size = parseIntFlag(values.size, 'size', DEFAULTS.size, 1);
    if (values.pixscale !== undefined) o.pixscale = parseNumberFlag(values.pixscale, 'pixscale', DEFAULTS.pixscale);
    if (values.bands !== undefined) o.bands = values.bands;
    if (values['base-url'] !== undefined) o.baseUrl = values['base-url'];
    if (values.concurrency !== undefined) o.concurrency = parseIntFlag(values.concurrency, 'concurrency', 4, 1);
    if (values.rate !== undefined) o.rate = parseNumberFlag(values.rate, 'rate', 8);
    if (values.timeout !== undefined) o.timeout = parseNumberFlag(values.timeout, 'timeout', 60);
    if (values.retries !== undefined) o.retries = parseIntFlag(values.retries, 'retries', DEFAULTS.retries, 0);
    if (values.bricks !== undefined) o.bricks = /^https?:/i.test(values.bricks) ? values.bricks : resolve(values.bricks);
    if (values['coadd-url'] !== undefined) o.coaddUrl = values['coadd-url'];
    if (values['cache-dir'] !== undefined) o.cacheDir = resolve(values['cache-dir']);
    if (values['ra-col'] !== undefined) o.raColumn = values['ra-col'];
    if (values['dec-col'] !== undefined) o.decColumn = values['dec-col'];
    if (values['id-col'] !== undefined) o.idColumn = values['id-col'];
    if (values['rgb-as'] !== undefined) o.rgbAs = rgbAs(values['rgb-as']);
    if (values.limit !== undefined) o.limit = parseIntFlag(values.limit, 'limit', 0, 1);
    if (values['model-name'] !== undefined) o.modelName = values['model-name'];
    if (values.metric !== undefined) {
      if (values.metric !== 'cosine' && values.metric !== 'l2') throw new AppError('BAD_INPUT', `--metric must be cosine or l2, got '${values.metric}'`);
      o.metric = values.metric;
    }
    let input: IngestStartInput;
    if (from === 'embeddings') {
      if (!values.vectors || !values.catalog) throw new AppError('BAD_INPUT', `--from embeddings needs --vectors and --catalog\n${usage}`);
      input = { source: 'embeddings', path: resolve(values.catalog), vectors: vectorsArg(values.vectors), options: o };
    } else if (from === 'legacysurvey') {
      if (!values.catalog) throw new AppError('BAD_INPUT', `--from legacysurvey needs --catalog FILE\n${usage}`);
      input = { source: 'legacysurvey', path: resolve(values.catalog), options: o };
    } else {
      const src = requirePositional(positionals, 1, from === 'folder' ? 'DIR (after --from folder)' : 'FILE (after --from hdf5)', usage);
      input = { source: from as 'folder' | 'hdf5', path: resolve(src), options: o, ...(values.catalog ? { catalog: resolve(values.catalog) } : {}) };
    }
    const bar = progressBar(io);
    let done: { report: IngestReport; workspace: string; objects: number };
    try {
      done = await tools.ingest.into(dir, input, {
        signal: io.signal,
        onProgress: bar.update,
        onNote: (note) => io.err(`note: ${note}`),
        onRetry: (r) => {
          if (!io.isTTY && !values.json) io.err(`retry ${r.attempt} in ${(r.delayMs / 1000).toFixed(1)} s: ${r.reason} (${r.url})`);
        },
      });
    } finally {
      bar.end();
    }
    const { report, workspace: wsDir, objects: count } = done;
    if (values.json) io.out(toJsonText({ workspace: wsDir, objects: count, ...report, skippedSummary: skippedSummary(report.skipped) }));
    else printReport(io, wsDir, report, count);
    return report.cancelled ? 130 : 0;
  },
};

export default command;
