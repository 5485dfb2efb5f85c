/**
 * The app's "Add data": the importers of `latent-sky ingest` (Legacy Survey
 * cutouts for a catalogue, a folder of images, a Multimodal Universe HDF5
 * file) run as an 'ingest' job with progress, ETA and cancel, into the open
 * workspace or a named one (created when missing, then opened). Objects are
 * committed in batches, so a cancelled ingest keeps what it added and a
 * repeated one skips what is already there. Afterwards the 'workspace' event
 * tells the views to reload; embedding the new objects is the Embed button.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { IngestService, IngestStartInput, IngestSummary } from '../../../app/contracts/ingest';
import { AppError, toErrorData } from '../../../app/core/errors';
import { readCatalogFile } from '../ingest/catalog-file';
import { ingestFolder } from '../ingest/folder/ingest';
import { ingestHdf5 } from '../ingest/hdf5/ingest';
import { NO_PIXELS_CUTOUT, openEmbeddingsWorkspace, prepareEmbeddingsIngest } from '../ingest/embeddings/ingest';
import { ingestLegacySurvey } from '../ingest/legacysurvey/ingest';
import { DEFAULT_BASE_URL, NATIVE_PIXSCALE } from '../ingest/legacysurvey/urls';
import type { IngestProgress, IngestReport } from '../ingest/report';
import type { CutoutShape, IngestSink } from '../ingest/sink';
import { openOrCreateWorkspace, workspaceSink } from '../ingest/workspace-sink';
import { Workspace } from '../workspace/workspace';
import type { EngineContext } from './context';
import { failedSummary, loadSummary, saveSummary, summarise, type SummaryContext } from './ingest-summary';
import type { Progress } from './jobs';
import { workspaceInfo } from './workspace-info';
import { openWorkspace } from './workspace-service';

const SOURCE_NAMES = { legacysurvey: 'Legacy Survey', folder: 'folder', hdf5: 'HDF5', embeddings: 'embeddings' } as const;

interface Prepared {
  shape: CutoutShape;
  /** Legacy Survey fetches at the workspace's geometry: a clash with explicit options is an error */
  strictGeometry: boolean;
  explicit: { size: boolean; pixscale: boolean; bands: boolean };
  /** false: an embedding catalogue, into a workspace without pixels */
  pixels?: false;
  run(sink: IngestSink, ws: Workspace, signal: AbortSignal, onProgress: (p: IngestProgress) => void): Promise<IngestReport>;
}

function mustExist(path: string, what: 'file' | 'folder', field: string): void {
  let st;
  try { st = statSync(path); } catch { throw new AppError('NOT_FOUND', `${field} ${path} does not exist`); }
  if (what === 'folder' ? !st.isDirectory() : !st.isFile()) throw new AppError('BAD_INPUT', `${field} ${path} is not a ${what}`);
}

function legacyShape(input: IngestStartInput): Pick<Prepared, 'shape' | 'strictGeometry' | 'explicit'> {
  const o = input.options;
  return {
    shape: { bands: ['g', 'r', 'z'], size: o.size ?? 64, pixscale: o.pixscale ?? NATIVE_PIXSCALE, unit: 'nanomaggies' },
    strictGeometry: true, explicit: { size: o.size !== undefined, pixscale: o.pixscale !== undefined, bands: false },
  };
}

async function prepare(input: IngestStartInput): Promise<Prepared> {
  const o = input.options;
  const explicit = { size: o.size !== undefined, pixscale: o.pixscale !== undefined, bands: false };
  if (input.source === 'legacysurvey') {
    const table = readCatalogFile(input.path);
    return {
      ...legacyShape(input),
      run: (sink, ws, signal, onProgress) => {
        const c = ws.manifest.cutout;
        return ingestLegacySurvey(sink, table, {
          catalogName: basename(input.path), baseUrl: o.baseUrl ?? DEFAULT_BASE_URL, layer: o.layer ?? 'ls-dr10',
          pixscale: c.pixscale, size: c.size, bands: c.bands.join(''),
          concurrency: o.concurrency ?? 4, ratePerSecond: o.rate ?? 8, cacheDir: ws.dirPath('cache', 'legacysurvey'),
          signal, onProgress,
        });
      },
    };
  }
  if (input.source === 'embeddings') {
    const p = await prepareEmbeddingsIngest({ catalog: input.path, vectors: input.vectors ?? '', modelName: o.modelName, metric: o.metric });
    return {
      shape: NO_PIXELS_CUTOUT, strictGeometry: false, explicit, pixels: false,
      run: async (_sink, ws, signal, onProgress) => { try { return await p.run(ws, { signal, onProgress }); } finally { p.close(); } },
    };
  }
  if (input.source === 'folder') {
    const table = input.catalog ? readCatalogFile(input.catalog) : undefined;
    const run = await ingestFolder.prepare(input.path, {
      table, catalogName: input.catalog && basename(input.catalog), exclude: input.catalog ? [input.catalog] : [], size: o.size, pixscale: o.pixscale,
    });
    return { shape: run.shape, strictGeometry: false, explicit: { ...explicit, bands: true }, run: (sink, _ws, signal, onProgress) => run.ingest(sink, { signal, onProgress }) };
  }
  const run = await ingestHdf5.prepare(input.path, { size: o.size });
  return { shape: run.shape, strictGeometry: false, explicit: { ...explicit, bands: true }, run: (sink, _ws, signal, onProgress) => run.ingest(sink, { signal, onProgress }) };
}

/** the checks openOrCreateWorkspace makes, for the workspace the engine already holds open */
function checkOpenWorkspace(ws: Workspace, p: Pick<Prepared, 'shape' | 'strictGeometry' | 'explicit' | 'pixels'>): void {
  if (p.pixels === false || !ws.hasPixels) {
    if (p.pixels !== false) throw new AppError('CONFLICT', `${ws.dir} holds no pixels (an embedding catalogue): add cutouts to another workspace`);
    if (ws.hasPixels) throw new AppError('CONFLICT', `${ws.dir} stores cutouts; an embedding catalogue goes into a workspace of its own: name a new folder`);
    if (ws.readonly) throw new AppError('WORKSPACE_LOCKED', `${ws.dir} is open read-only: objects cannot be added`);
    return;
  }
  const c = ws.manifest.cutout, s = p.shape;
  const clash = (what: string, have: unknown, want: unknown) =>
    new AppError('BAD_INPUT', `${ws.dir} holds ${what} ${String(have)} cutouts, this ingest makes ${String(want)}: add to another workspace`);
  if (p.explicit.bands && c.bands.join(',') !== s.bands.join(',')) throw clash('bands', c.bands.join(','), s.bands.join(','));
  if (c.unit !== s.unit) throw clash('unit', c.unit, s.unit);
  if (p.strictGeometry && p.explicit.size && c.size !== s.size) throw clash('size', c.size, s.size);
  if (p.strictGeometry && p.explicit.pixscale && Math.abs(c.pixscale - s.pixscale) > 1e-9) throw clash('pixscale', c.pixscale, s.pixscale);
  if (ws.readonly) throw new AppError('WORKSPACE_LOCKED', `${ws.dir} is open read-only: objects cannot be added`);
}

/** the workspace to add to: the open one, or the named one (created from the source's shape, then opened) */
function targetWorkspace(ctx: EngineContext, input: IngestStartInput, p: Prepared): Workspace {
  const dir = input.workspace ? resolve(input.workspace) : null;
  const open = ctx.open;
  if (open && (dir === null || resolve(open.dir) === dir)) {
    checkOpenWorkspace(open, p);
    return open;
  }
  if (dir === null) throw new AppError('WORKSPACE_INVALID', 'no workspace is open: open one or name a workspace folder to create');
  const { ws } = p.pixels === false ? openEmbeddingsWorkspace(dir) : openOrCreateWorkspace(dir, p.shape, { strictGeometry: p.strictGeometry, explicit: p.explicit });
  ws.close();
  openWorkspace(ctx, dir);
  return ctx.ws();
}

function stageText(p: IngestProgress): string {
  const parts: string[] = [p.phase];
  if (p.failed) parts.push(`${p.failed} skipped`);
  if (p.etaSeconds !== null && p.done < p.total) parts.push(`ETA ${p.etaSeconds < 90 ? `${Math.ceil(p.etaSeconds)} s` : `${Math.ceil(p.etaSeconds / 60)} min`}`);
  return parts.join(' · ');
}

export function ingestService(ctx: EngineContext): IngestService {
  let last: IngestSummary | null = null;

  return {
    async start(input) {
      if (input.source === 'folder') mustExist(input.path, 'folder', 'path');
      else if (input.source === 'embeddings') { if (!existsSync(input.path)) throw new AppError('NOT_FOUND', `path ${input.path} does not exist`); }
      else mustExist(input.path, 'file', 'path');
      if (input.catalog) mustExist(input.catalog, 'file', 'catalog');
      if (!input.workspace && !ctx.open) throw new AppError('WORKSPACE_INVALID', 'no workspace is open: open one or name a workspace folder to create');
      if (input.workspace && existsSync(input.workspace) && !statSync(input.workspace).isDirectory()) throw new AppError('BAD_INPUT', `workspace ${input.workspace} is a file, not a folder`);
      // a folder that is neither a workspace nor free for one is refused before anything runs
      if (input.workspace && !Workspace.isWorkspace(input.workspace)) Workspace.assertCreatable(input.workspace);
      const open = ctx.open;
      // what can be checked without reading the source fails the call itself, not the job
      if (input.source === 'legacysurvey' && open && (!input.workspace || resolve(input.workspace) === resolve(open.dir))) checkOpenWorkspace(open, legacyShape(input));
      const label = `Add data: ${SOURCE_NAMES[input.source]} ${basename(input.path)}`;
      let jobId = '';
      const job = ctx.jobs.start('ingest', label, async (progress: Progress, signal) => {
        const t0 = Date.now();
        const sc: Omit<SummaryContext, 'jobId'> = { source: input.source, input: input.path, workspace: input.workspace ?? ctx.open?.dir ?? '', objects: ctx.open?.count() ?? 0 };
        let ws: Workspace | null = null;
        try {
          progress(0, 0, 'reading');
          const prepared = await prepare(input);
          ws = targetWorkspace(ctx, input, prepared);
          sc.workspace = ws.dir;
          const report = await prepared.run(workspaceSink(ws), ws, signal, (p) => progress(p.done, p.total, stageText(p)));
          last = summarise({ ...sc, jobId, objects: ws.count() }, report);
        } catch (e) {
          if (!(signal.aborted && toErrorData(e).code === 'CANCELLED')) last = failedSummary({ ...sc, jobId }, toErrorData(e), t0);
          throw e;
        } finally {
          if (ws && ctx.open === ws) {
            if (last?.jobId === jobId) saveSummary(ws, last);
            ctx.invalidate('');
            ctx.announce(workspaceInfo(ctx));
          }
        }
      });
      jobId = job.id;
      return job;
    },

    async lastReport() {
      const open = ctx.open;
      if (last && (!open || resolve(last.workspace) === resolve(open.dir) || last.workspace === '')) return last;
      return open ? loadSummary(open) : last;
    },
  };
}
