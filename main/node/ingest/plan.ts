/**
 * The one ingest plan: what `latent-sky ingest` and the app's "Add data"
 * (the ingest contract) run for a source, with one set of defaults. prepare()
 * reads the source (catalogue, folder listing, HDF5 header) and says what
 * shape of workspace it fills; run() imports into a workspace through the
 * ordered committer of each source.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { IngestStartInput } from '@app/contracts/ingest';
import { AppError } from '@app/core/errors';
import type { ColumnOverrides } from '@app/tables/catalog-columns';
import type { Workspace } from '../workspace/workspace';
import { readCatalogFile } from './catalog-file';
import { NO_PIXELS_CUTOUT, openEmbeddingsWorkspace, prepareEmbeddingsIngest } from './embeddings/ingest';
import { ingestFolder } from './folder/ingest';
import { ingestHdf5 } from './hdf5/ingest';
import { ingestLegacySurveyBricks } from './legacysurvey/brick-ingest';
import { ingestLegacySurvey } from './legacysurvey/ingest';
import { INGEST_DEFAULTS, type IngestHooks } from './plan-defaults';
import type { IngestReport } from './report';
import type { CutoutShape } from './sink';
import { openOrCreateWorkspace, workspaceSink } from './workspace-sink';

export interface PreparedIngest {
  shape: CutoutShape;
  /** Legacy Survey fetches at the workspace's geometry: a clash with explicit options is an error */
  strictGeometry: boolean;
  explicit: { size: boolean; pixscale: boolean; bands: boolean };
  /** what the source reader noticed (skipped files, guessed columns) */
  notes: string[];
  /** false: an embedding catalogue, into a workspace without pixels */
  pixels?: false;
  run(ws: Workspace, hooks: IngestHooks): Promise<IngestReport>;
}

function mustExist(path: string, what: 'file' | 'folder', field: string): void {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new AppError('NOT_FOUND', `${field} ${path} does not exist`);
  }
  if (what === 'folder' ? !st.isDirectory() : !st.isFile()) throw new AppError('BAD_INPUT', `${field} ${path} is not a ${what}`);
}

/** NOT_FOUND / BAD_INPUT before anything runs when the source or its catalogue is missing */
export function assertSourceExists(input: IngestStartInput): void {
  // an embedding catalogue is a file or a HATS folder; the embeddings importer reads which
  if (input.source === 'embeddings') {
    if (!existsSync(input.path)) throw new AppError('NOT_FOUND', `path ${input.path} does not exist`);
  } else mustExist(input.path, input.source === 'folder' ? 'folder' : 'file', 'path');
  if (input.catalog) mustExist(input.catalog, 'file', 'catalog');
}

/** the shape a Legacy Survey ingest asks for (known before the catalogue is read) */
export function legacyShape(input: IngestStartInput): Pick<PreparedIngest, 'shape' | 'strictGeometry' | 'explicit'> {
  const o = input.options;
  return {
    shape: {
      bands: (o.bands ?? INGEST_DEFAULTS.bands).split(''),
      size: o.size ?? INGEST_DEFAULTS.size,
      pixscale: o.pixscale ?? INGEST_DEFAULTS.pixscale,
      unit: 'nanomaggies',
    },
    strictGeometry: true,
    explicit: { size: o.size !== undefined, pixscale: o.pixscale !== undefined, bands: o.bands !== undefined },
  };
}

function columnsOf(input: IngestStartInput): ColumnOverrides {
  const o = input.options;
  return { ra: o.raColumn, dec: o.decColumn, id: o.idColumn };
}

export async function prepareIngest(input: IngestStartInput): Promise<PreparedIngest> {
  const o = input.options;
  const columns = columnsOf(input);
  const explicit = { size: o.size !== undefined, pixscale: o.pixscale !== undefined, bands: true };
  if (input.source === 'legacysurvey') {
    const table = readCatalogFile(input.path);
    const catalogName = basename(input.path);
    return {
      ...legacyShape(input),
      notes: [],
      run(ws, hooks) {
        const c = ws.manifest.cutout;
        const sink = workspaceSink(ws);
        const layer = o.layer ?? INGEST_DEFAULTS.layer;
        const policy = {
          timeoutMs: (o.timeout ?? (o.bricks ? INGEST_DEFAULTS.timeout.bricks : INGEST_DEFAULTS.timeout.cutouts)) * 1000,
          retries: o.retries ?? INGEST_DEFAULTS.retries,
        };
        if (o.bricks)
          return ingestLegacySurveyBricks(sink, table, {
            columns,
            catalogName,
            bricksTable: o.bricks,
            layer,
            coaddUrl: o.coaddUrl ?? INGEST_DEFAULTS.coaddUrl,
            bands: c.bands.join(''),
            cacheDir: o.cacheDir ?? ws.dirPath('cache', 'legacysurvey-bricks'),
            concurrency: o.concurrency ?? INGEST_DEFAULTS.concurrency.bricks,
            ratePerSecond: o.rate ?? INGEST_DEFAULTS.rate.bricks,
            policy,
            signal: hooks.signal,
            onProgress: hooks.onProgress,
          });
        return ingestLegacySurvey(sink, table, {
          columns,
          catalogName,
          baseUrl: o.baseUrl ?? INGEST_DEFAULTS.baseUrl,
          layer,
          pixscale: c.pixscale,
          size: c.size,
          bands: c.bands.join(''),
          concurrency: o.concurrency ?? INGEST_DEFAULTS.concurrency.cutouts,
          ratePerSecond: o.rate ?? INGEST_DEFAULTS.rate.cutouts,
          timeoutMs: policy.timeoutMs,
          retries: policy.retries,
          cacheDir: o.cacheDir ?? ws.dirPath('cache', 'legacysurvey'),
          signal: hooks.signal,
          onProgress: hooks.onProgress,
          onRetry: hooks.onRetry,
        });
      },
    };
  }
  if (input.source === 'embeddings') {
    const p = await prepareEmbeddingsIngest({ catalog: input.path, vectors: input.vectors ?? '', modelName: o.modelName, metric: o.metric, columns });
    return {
      shape: NO_PIXELS_CUTOUT,
      strictGeometry: false,
      explicit,
      pixels: false,
      notes: p.notes,
      async run(ws, h) {
        try {
          return await p.run(ws, { signal: h.signal, onProgress: h.onProgress });
        } finally {
          p.close();
        }
      },
    };
  }
  if (input.source === 'folder') {
    const table = input.catalog ? readCatalogFile(input.catalog) : undefined;
    const prepared = await ingestFolder.prepare(input.path, {
      table,
      columns,
      catalogName: input.catalog && basename(input.catalog),
      exclude: input.catalog ? [input.catalog] : [],
      size: o.size,
      pixscale: o.pixscale,
      rgbAs: o.rgbAs ?? 'grz',
    });
    return {
      shape: prepared.shape,
      strictGeometry: false,
      explicit,
      notes: prepared.notes,
      run: (ws, h) => prepared.ingest(workspaceSink(ws), { signal: h.signal, onProgress: h.onProgress }),
    };
  }
  const prepared = await ingestHdf5.prepare(input.path, { size: o.size, limit: o.limit });
  return {
    shape: prepared.shape,
    strictGeometry: false,
    explicit,
    notes: prepared.notes,
    run: (ws, h) => prepared.ingest(workspaceSink(ws), { signal: h.signal, onProgress: h.onProgress }),
  };
}

/** in-process ingest into a named workspace (created from the source's shape when missing) */
export async function ingestInto(dir: string, input: IngestStartInput, hooks: IngestHooks & { onNote?: (note: string) => void } = {}) {
  const prepared = await prepareIngest(input);
  for (const n of prepared.notes) hooks.onNote?.(n);
  const { ws } =
    prepared.pixels === false
      ? openEmbeddingsWorkspace(resolve(dir))
      : openOrCreateWorkspace(resolve(dir), prepared.shape, { strictGeometry: prepared.strictGeometry, explicit: prepared.explicit });
  try {
    const report = await prepared.run(ws, hooks);
    return { report, workspace: ws.dir, objects: ws.count() };
  } finally {
    ws.close();
  }
}
