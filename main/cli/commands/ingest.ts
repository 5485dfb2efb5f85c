import { AppError } from '../../../app/core/errors';
import { readCatalogFile } from '../../node/ingest/catalog-file';
import { ingestFolder } from '../../node/ingest/folder/ingest';
import { ingestHdf5 } from '../../node/ingest/hdf5/ingest';
import { ingestLegacySurveyBricks } from '../../node/ingest/legacysurvey/brick-ingest';
import { ingestLegacySurvey } from '../../node/ingest/legacysurvey/ingest';
import { DEFAULT_BASE_URL, NATIVE_PIXSCALE } from '../../node/ingest/legacysurvey/urls';
import { skippedSummary, type IngestProgress, type IngestReport } from '../../node/ingest/report';
import { openOrCreateWorkspace, workspaceSink } from '../../node/ingest/workspace-sink';
import { EMBEDDINGS_HELP, EMBEDDINGS_USAGE, runEmbeddingsIngest } from '../embeddings-ingest';
import { parseCommandArgs, parseIntFlag, parseNumberFlag, requirePositional, toJsonText, type CliIO, type Command } from '../command';

const DEFAULT_COADD_URL = 'https://portal.nersc.gov/cfs/cosmo/data/legacysurvey/dr10/south';

const usage = `usage: latent-sky ingest WORKSPACE --from legacysurvey --catalog FILE [--layer ls-dr10]
                        [--pixscale 0.262] [--size 64] [--bands grz] [--base-url URL]
                        [--concurrency 4] [--rate 8] [--timeout 60] [--retries 5] [--cache-dir DIR]
                        [--bricks survey-bricks.fits[.gz] [--coadd-url URL]]
       latent-sky ingest WORKSPACE --from folder DIR [--catalog FILE] [--size 64] [--rgb-as grz|rgb]
       latent-sky ingest WORKSPACE --from hdf5 FILE [--size N] [--limit N]
${EMBEDDINGS_USAGE}
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
                ${DEFAULT_COADD_URL}) once per brick and
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
${EMBEDDINGS_HELP}

Rows and files that cannot be used are skipped and listed with the reason;
the exit status is 0 when the ingest ran (even with skips), 2 for a fatal
input error (unreadable catalogue, missing ra/dec columns), 130 on cancel.`;

function progressBar(io: CliIO): { update(p: IngestProgress): void; end(): void } {
  let last = 0, drawn = false;
  return {
    update(p) {
      if (!io.isTTY) return;
      const now = Date.now();
      if (now - last < 100 && p.done < p.total) return;
      last = now;
      const width = 30, frac = p.total ? p.done / p.total : 1, filled = Math.round(frac * width);
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
  io.out(`${dir}: ${r.source}: ${parts.join(', ')} of ${r.total} in ${(r.elapsedMs / 1000).toFixed(1)} s; ${count} objects in the workspace${r.cancelled ? ' (cancelled: run again to resume)' : ''}`);
  for (const g of skippedSummary(r.skipped)) {
    io.out(`  skipped ${g.count}: ${g.examples[0]}${g.count > 1 ? ` (and ${g.count - 1} like it)` : ''}`);
  }
}

const command: Command = {
  summary: 'import objects: Legacy Survey cutouts for a catalogue, a folder of images, an HDF5 file',
  usage,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, {
      from: { type: 'string' }, catalog: { type: 'string' }, layer: { type: 'string' }, pixscale: { type: 'string' },
      size: { type: 'string' }, bands: { type: 'string' }, 'base-url': { type: 'string' }, concurrency: { type: 'string' },
      rate: { type: 'string' }, timeout: { type: 'string' }, retries: { type: 'string' }, 'cache-dir': { type: 'string' },
      'ra-col': { type: 'string' }, 'dec-col': { type: 'string' }, 'id-col': { type: 'string' }, limit: { type: 'string' },
      'rgb-as': { type: 'string' }, bricks: { type: 'string' }, 'coadd-url': { type: 'string' }, json: { type: 'boolean' },
      vectors: { type: 'string' }, 'model-name': { type: 'string' }, metric: { type: 'string' },
    }, usage);
    const dir = requirePositional(positionals, 0, 'WORKSPACE', usage);
    const from = values.from;
    if (!from || !['legacysurvey', 'folder', 'hdf5', 'embeddings'].includes(from)) throw new AppError('BAD_INPUT', `--from must be legacysurvey, folder, hdf5 or embeddings${from ? `, got '${from}'` : ''}\n${usage}`);
    const columns = { ra: values['ra-col'], dec: values['dec-col'], id: values['id-col'] };
    const bar = progressBar(io);
    if (from === 'embeddings') return runEmbeddingsIngest(dir, values, io, bar);
    const explicit = { size: values.size !== undefined, pixscale: values.pixscale !== undefined, bands: values.bands !== undefined };
    let report: IngestReport;
    let wsDir: string, count: number;
    if (from === 'legacysurvey') {
      if (!values.catalog) throw new AppError('BAD_INPUT', `--from legacysurvey needs --catalog FILE\n${usage}`);
      const table = readCatalogFile(values.catalog);
      const bands = values.bands ?? 'grz';
      const size = parseIntFlag(values.size, 'size', 64, 1);
      const pixscale = parseNumberFlag(values.pixscale, 'pixscale', NATIVE_PIXSCALE);
      const { ws } = openOrCreateWorkspace(dir, { bands: bands.split(''), size, pixscale, unit: 'nanomaggies' }, { strictGeometry: true, explicit });
      try {
        const c = ws.manifest.cutout;
        report = values.bricks ? await ingestLegacySurveyBricks(workspaceSink(ws), table, {
          columns, catalogName: values.catalog, bricksTable: values.bricks, layer: values.layer ?? 'ls-dr10',
          coaddUrl: values['coadd-url'] ?? DEFAULT_COADD_URL, bands: c.bands.join(''),
          cacheDir: values['cache-dir'] ?? ws.dirPath('cache', 'legacysurvey-bricks'),
          concurrency: parseIntFlag(values.concurrency, 'concurrency', 3, 1), ratePerSecond: parseNumberFlag(values.rate, 'rate', 4),
          policy: { timeoutMs: parseNumberFlag(values.timeout, 'timeout', 300) * 1000, retries: parseIntFlag(values.retries, 'retries', 5, 0) },
          signal: io.signal, onProgress: bar.update,
        }) : await ingestLegacySurvey(workspaceSink(ws), table, {
          columns, catalogName: values.catalog,
          baseUrl: values['base-url'] ?? DEFAULT_BASE_URL, layer: values.layer ?? 'ls-dr10',
          pixscale: c.pixscale, size: c.size, bands: c.bands.join(''),
          concurrency: parseIntFlag(values.concurrency, 'concurrency', 4, 1),
          ratePerSecond: parseNumberFlag(values.rate, 'rate', 8),
          timeoutMs: parseNumberFlag(values.timeout, 'timeout', 60) * 1000,
          retries: parseIntFlag(values.retries, 'retries', 5, 0),
          cacheDir: values['cache-dir'] ?? ws.dirPath('cache', 'legacysurvey'),
          signal: io.signal, onProgress: bar.update,
          onRetry: (r) => { if (!io.isTTY && !values.json) io.err(`retry ${r.attempt} in ${(r.delayMs / 1000).toFixed(1)} s: ${r.reason} (${r.url})`); },
        });
      } finally {
        bar.end();
        wsDir = ws.dir; count = ws.count();
        ws.close();
      }
    } else {
      const src = requirePositional(positionals, 1, from === 'folder' ? 'DIR (after --from folder)' : 'FILE (after --from hdf5)', usage);
      const table = values.catalog ? readCatalogFile(values.catalog) : undefined;
      const run = from === 'folder'
        ? await ingestFolder.prepare(src, {
            table, columns, catalogName: values.catalog, exclude: values.catalog ? [values.catalog] : [],
            size: values.size === undefined ? undefined : parseIntFlag(values.size, 'size', 64, 1),
            pixscale: values.pixscale === undefined ? undefined : parseNumberFlag(values.pixscale, 'pixscale', NATIVE_PIXSCALE),
            rgbAs: rgbAs(values['rgb-as']),
          })
        : await ingestHdf5.prepare(src, { size: values.size === undefined ? undefined : parseIntFlag(values.size, 'size', 64, 1), limit: values.limit === undefined ? undefined : parseIntFlag(values.limit, 'limit', 0, 1) });
      for (const note of run.notes) io.err(`note: ${note}`);
      const { ws } = openOrCreateWorkspace(dir, run.shape, { strictGeometry: false, explicit: { ...explicit, bands: true } });
      try {
        report = await run.ingest(workspaceSink(ws), { signal: io.signal, onProgress: bar.update });
      } finally {
        bar.end();
        wsDir = ws.dir; count = ws.count();
        ws.close();
      }
    }
    if (values.json) io.out(toJsonText({ workspace: wsDir, objects: count, ...report, skippedSummary: skippedSummary(report.skipped) }));
    else printReport(io, wsDir, report, count);
    return report.cancelled ? 130 : 0;
  },
};

export default command;
