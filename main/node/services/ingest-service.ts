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
import type { IngestService, IngestStartInput, IngestSummary } from '@app/contracts/ingest';
import { AppError, toErrorData } from '@app/core/errors';
import { assertSourceExists, legacyShape, prepareIngest, type PreparedIngest } from '../ingest/plan';
import type { IngestProgress } from '../ingest/report';
import { openOrCreateWorkspace } from '../ingest/workspace-sink';
import { openEmbeddingsWorkspace } from '../ingest/embeddings/ingest';
import { DEFAULT_BASE_URL } from '../ingest/legacysurvey/urls';
import { assertReachable } from '../ingest/net/reachable';
import { Workspace } from '../workspace/workspace';
import type { EngineContext } from '../session/context';
import { failedSummary, loadSummary, saveSummary, summarise, type SummaryContext } from '../ingest/summary';
import type { Progress } from '../session/jobs';
import { openWorkspace } from './workspace-service';

const SOURCE_NAMES = { legacysurvey: 'Legacy Survey', folder: 'folder', hdf5: 'HDF5', embeddings: 'embeddings' } as const;

/** the checks openOrCreateWorkspace makes, for the workspace the engine already holds open */
function checkOpenWorkspace(ws: Workspace, p: Pick<PreparedIngest, 'shape' | 'strictGeometry' | 'explicit' | 'pixels'>): void {
  if (p.pixels === false || !ws.hasPixels) {
    if (p.pixels !== false) throw new AppError('CONFLICT', `${ws.dir} holds no pixels (an embedding catalogue): add cutouts to another workspace`);
    if (ws.hasPixels) throw new AppError('CONFLICT', `${ws.dir} stores cutouts; an embedding catalogue goes into a workspace of its own: name a new folder`);
    if (ws.readonly) throw new AppError('WORKSPACE_LOCKED', `${ws.dir} is open read-only: objects cannot be added`);
    return;
  }
  const c = ws.manifest.cutout,
    s = p.shape;
  const clash = (what: string, have: unknown, want: unknown) =>
    new AppError('BAD_INPUT', `${ws.dir} holds ${what} ${String(have)} cutouts, this ingest makes ${String(want)}: add to another workspace`);
  if (p.explicit.bands && c.bands.join(',') !== s.bands.join(',')) throw clash('bands', c.bands.join(','), s.bands.join(','));
  if (c.unit !== s.unit) throw clash('unit', c.unit, s.unit);
  if (p.strictGeometry && p.explicit.size && c.size !== s.size) throw clash('size', c.size, s.size);
  if (p.strictGeometry && p.explicit.pixscale && Math.abs(c.pixscale - s.pixscale) > 1e-9) throw clash('pixscale', c.pixscale, s.pixscale);
  if (ws.readonly) throw new AppError('READ_ONLY', `${ws.dir} is open read-only: objects cannot be added`);
}

/** the workspace to add to: the open one, or the named one (created from the source's shape, then opened) */
function targetWorkspace(ctx: EngineContext, input: IngestStartInput, p: PreparedIngest): Workspace {
  const dir = input.workspace ? resolve(input.workspace) : null;
  const open = ctx.open;
  if (open && (dir === null || resolve(open.dir) === dir)) {
    checkOpenWorkspace(open, p);
    return open;
  }
  if (dir === null) throw new AppError('WORKSPACE_INVALID', 'no workspace is open: open one or name a workspace folder to create');
  const { ws } =
    p.pixels === false ? openEmbeddingsWorkspace(dir) : openOrCreateWorkspace(dir, p.shape, { strictGeometry: p.strictGeometry, explicit: p.explicit });
  ws.close();
  openWorkspace(ctx, dir);
  return ctx.ws();
}

function stageText(p: IngestProgress): string {
  const parts: string[] = [p.phase];
  if (p.failed) parts.push(`${p.failed} skipped`);
  if (p.etaSeconds !== null && p.done < p.total)
    parts.push(`ETA ${p.etaSeconds < 90 ? `${Math.ceil(p.etaSeconds)} s` : `${Math.ceil(p.etaSeconds / 60)} min`}`);
  return parts.join(' · ');
}

export function ingestService(ctx: EngineContext): IngestService {
  let last: IngestSummary | null = null;

  return {
    async start(input) {
      assertSourceExists(input);
      if (!input.workspace && !ctx.open) throw new AppError('WORKSPACE_INVALID', 'no workspace is open: open one or name a workspace folder to create');
      if (input.workspace && existsSync(input.workspace) && !statSync(input.workspace).isDirectory())
        throw new AppError('BAD_INPUT', `workspace ${input.workspace} is a file, not a folder`);
      // a folder that is neither a workspace nor free for one is refused before anything runs
      if (input.workspace && !Workspace.isWorkspace(input.workspace)) Workspace.assertCreatable(input.workspace);
      const open = ctx.open;
      // what can be checked without reading the source fails the call itself, not the job
      if (input.source === 'legacysurvey' && open && (!input.workspace || resolve(input.workspace) === resolve(open.dir)))
        checkOpenWorkspace(open, legacyShape(input));
      // offline, fail the call in about two seconds instead of a job retrying every target
      if (input.source === 'legacysurvey') await assertReachable(input.options?.baseUrl ?? DEFAULT_BASE_URL, 'the Legacy Survey cutout service');
      const label = `Add data: ${SOURCE_NAMES[input.source]} ${basename(input.path)}`;
      let jobId = '';
      const job = ctx.jobs.start('ingest', label, async (progress: Progress, signal) => {
        const t0 = Date.now();
        const sc: Omit<SummaryContext, 'jobId'> = {
          source: input.source,
          input: input.path,
          workspace: input.workspace ?? ctx.open?.dir ?? '',
          objects: ctx.open?.count() ?? 0,
        };
        let ws: Workspace | null = null;
        let before = 0;
        try {
          progress(0, 0, 'reading');
          const prepared = await prepareIngest(input);
          ws = targetWorkspace(ctx, input, prepared);
          sc.workspace = ws.dir;
          before = ws.count();
          const report = await prepared.run(ws, { signal, onProgress: (p) => progress(p.done, p.total, stageText(p)) });
          last = summarise({ ...sc, jobId, objects: ws.count() }, report);
        } catch (e) {
          if (!(signal.aborted && toErrorData(e).code === 'CANCELLED')) last = failedSummary({ ...sc, jobId }, toErrorData(e), t0);
          throw e;
        } finally {
          if (ws && ctx.open === ws) {
            if (last?.jobId === jobId) saveSummary(ws, last);
            ctx.invalidate('');
            const count = ws.count();
            if (count > before) ctx.bus.emit({ type: 'objects', count, added: count - before });
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
