/**
 * Embedding catalogues as a source (no pixels): a catalogue (CSV, FITS,
 * VOTable, Parquet, HATS) plus row-aligned vectors (.npy, HDF5, FITS or
 * Parquet vector column, or a column of the catalogue) become objects and
 * one embedding matrix of a workspace without cutouts. Rows are read in
 * blocks; a bad row (unparseable, bad coordinates, non-finite or zero
 * vector, duplicate id) is reported and skipped; each block's objects are
 * committed, then their vectors written durably, so a killed import resumes
 * by running it again (present ids are skipped, a present id without its
 * vector gets it). CLI and the ingest service both call these functions.
 */
import { basename, extname } from 'node:path';
import { AppError } from '@app/core/errors';
import type { NewObject } from '@app/domain/object';
import { parseDec, parseRa } from '@app/sky/coords';
import { DEC_NAMES, ID_NAMES, positionalId, RA_NAMES } from '@app/tables/catalog-columns';
import { Workspace } from '../../workspace';
import { eta, type IngestProgress, type IngestReport, type SkippedItem } from '../report';
import { checkModelFits, METRICS, modelKeyOf, type ImportedMeta, type ImportedModel, type Metric } from './model';
import { openCatalogSource, openVectors, type VectorsSpec } from './open';
import type { BlockColumn, ColumnSource } from './source';

export interface EmbeddingsIngestInput {
  catalog: string;
  /** FILE, FILE:DATASET|COLUMN, or a vector column of the catalogue */
  vectors: string;
  columns?: { id?: string; ra?: string; dec?: string };
  modelName?: string;
  metric?: Metric;
}

export interface EmbeddingsRunOptions {
  signal?: AbortSignal;
  onProgress?: (p: IngestProgress) => void;
  /** rows per block (default: the format's preference, ≤ 65536) */
  blockRows?: number;
}

export interface PreparedEmbeddings {
  model: ImportedModel;
  rows: number;
  readers: { catalog: string; vectors: string };
  columns: { id: string | null; ra: string; dec: string; extras: string[] };
  notes: string[];
  run(ws: Workspace, opts?: EmbeddingsRunOptions): Promise<IngestReport>;
  close(): void;
}

/** the shape recorded for a workspace without pixels: what a fetched Legacy Survey cutout would be */
export const NO_PIXELS_CUTOUT = { bands: ['g', 'r', 'z'], size: 64, pixscale: 0.262, unit: 'nanomaggies' as const };

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function pick(src: ColumnSource, override: string | undefined, names: readonly string[], role: string): string | undefined {
  const usable = src.columns.filter((c) => c.kind === 'number' || c.kind === 'text');
  if (override !== undefined) {
    const c = usable.find((x) => x.name === override) ?? usable.find((x) => x.name.toLowerCase() === override.toLowerCase());
    if (!c) throw new AppError('BAD_INPUT', `${src.name}: no column '${override}' for ${role} (columns: ${src.columns.map((x) => x.name).join(', ')})`);
    return c.name;
  }
  for (const n of names) {
    const c = usable.find((x) => x.name.toLowerCase() === n);
    if (c) return c.name;
  }
  return undefined;
}

function num(col: BlockColumn, i: number, parse: (s: string) => number): number {
  if (col.kind === 'number') return col.values[i];
  if (col.kind === 'text') {
    const s = col.values[i];
    return s === null ? NaN : parse(s);
  }
  return NaN;
}

function cell(col: BlockColumn, i: number): number | string | null {
  if (col.kind === 'number') return Number.isFinite(col.values[i]) ? col.values[i] : null;
  if (col.kind !== 'text') return null;
  const s = col.values[i];
  if (s === null || /^(nan|null|none|--|n\/a|na)$/i.test(s)) return null;
  if (NUMBER.test(s)) {
    const n = Number(s);
    const digits = s.replace(/^[+-]/, '').split(/[eE]/)[0];
    if (digits.includes('.') || digits.replace(/^0+/, '').length <= 15) return n;
  }
  return s;
}

export async function prepareEmbeddingsIngest(input: EmbeddingsIngestInput): Promise<PreparedEmbeddings> {
  if (input.metric !== undefined && !METRICS.includes(input.metric))
    throw new AppError('BAD_INPUT', `metric must be ${METRICS.join(' or ')}, got '${input.metric}'`);
  const catalog = await openCatalogSource(input.catalog);
  let vec: VectorsSpec;
  try {
    vec = await openVectors(input.vectors, catalog);
  } catch (e) {
    catalog.close();
    throw e;
  }
  const close = () => {
    vec.source?.close();
    catalog.close();
  };
  try {
    const dim = vec.source ? vec.source.dim : catalog.columns.find((c) => c.name === vec.catalogColumn)!.dim!;
    if (vec.source && vec.source.rows !== catalog.rows)
      throw new AppError(
        'BAD_INPUT',
        `${catalog.name} has ${catalog.rows} rows but ${vec.source.name} holds ${vec.source.rows} vectors: they must be row-aligned`,
      );
    if (dim < 1 || dim > 65536) throw new AppError('BAD_INPUT', `vectors of dimension ${dim} (1-65536)`);
    const ra = pick(catalog, input.columns?.ra, RA_NAMES, 'ra'),
      dec = pick(catalog, input.columns?.dec, DEC_NAMES, 'dec');
    if (!ra || !dec)
      throw new AppError(
        'BAD_INPUT',
        `${catalog.name}: no ${!ra ? 'ra' : 'dec'} column (looked for ${(!ra ? RA_NAMES : DEC_NAMES).slice(0, 5).join(', ')}, ...; ` +
          `columns: ${catalog.columns.map((c) => c.name).join(', ')}); name it with --${!ra ? 'ra' : 'dec'}-col`,
      );
    const id = pick(catalog, input.columns?.id, ID_NAMES, 'id') ?? null;
    const used = new Set([ra, dec, id, vec.catalogColumn].filter(Boolean));
    const extras = catalog.columns
      .filter((c) => !used.has(c.name) && (c.kind === 'number' || c.kind === 'text') && !['idx', 'source', 'truth'].includes(c.name))
      .map((c) => c.name);
    const name = input.modelName ?? (vec.source ? basename(input.vectors.split(':')[0], extname(input.vectors.split(':')[0])) : vec.catalogColumn!);
    const model: ImportedModel = { key: modelKeyOf(name), name, dim, metric: input.metric ?? 'cosine' };
    const notes: string[] = [];
    if (!input.modelName) notes.push(`no --model-name given: the vectors are recorded as model '${name}'`);
    if (!id) notes.push(`no id column: ids are made from the coordinates (OBJ-<ra><dec>)`);
    const skipped = catalog.columns.filter((c) => c.kind === 'other').map((c) => c.name);
    if (skipped.length) notes.push(`columns not imported (not a number, text or the vectors): ${skipped.join(', ')}`);
    const readers = { catalog: catalog.reader, vectors: vec.source?.reader ?? catalog.reader };
    return {
      model,
      rows: catalog.rows,
      readers,
      columns: { id, ra, dec, extras },
      notes,
      close,
      run: (ws, opts = {}) => runImport(ws, catalog, vec, { model, input, id, ra, dec, extras, readers }, opts),
    };
  } catch (e) {
    close();
    throw e;
  }
}

interface Plan {
  model: ImportedModel;
  input: EmbeddingsIngestInput;
  id: string | null;
  ra: string;
  dec: string;
  extras: string[];
  readers: { catalog: string; vectors: string };
}

async function runImport(ws: Workspace, catalog: ColumnSource, vec: VectorsSpec, p: Plan, opts: EmbeddingsRunOptions): Promise<IngestReport> {
  const t0 = Date.now();
  if (ws.hasPixels) throw new AppError('CONFLICT', `${ws.dir} stores cutouts; an embedding catalogue goes into a workspace of its own (without pixels)`);
  if (ws.readonly) throw new AppError('READ_ONLY', `${ws.dir} is open read-only`);
  checkModelFits(ws, p.model);
  const { model } = p;
  const meta: ImportedMeta = {
    source: 'embedding-catalogue',
    metric: model.metric,
    dim: model.dim,
    vectors: p.input.vectors,
    catalog: p.input.catalog,
    reader: `${p.readers.catalog}; ${p.readers.vectors}`,
  };
  const matrix = ws.embeddings(model.key, model.dim, { modelName: model.name, meta });
  ws.kv.set('activeModel', model.key);
  const dim = model.dim,
    n = catalog.rows;
  const block = Math.max(1, opts.blockRows ?? Math.min(65536, catalog.preferredBlock ?? 16384));
  const names = [p.ra, p.dec, ...(p.id ? [p.id] : []), ...p.extras, ...(vec.catalogColumn ? [vec.catalogColumn] : [])];
  let done = matrix.doneMask();
  const report: IngestReport = { source: `embeddings:${model.key}`, total: n, added: 0, alreadyPresent: 0, skipped: [], elapsedMs: 0, cancelled: false };
  const source = `embeddings:${model.key}`;
  for (let start = 0; start < n; start += block) {
    if (opts.signal?.aborted) {
      report.cancelled = true;
      break;
    }
    const count = Math.min(block, n - start);
    const b = await catalog.read(start, count, names);
    const vectors = vec.catalogColumn ? (b.columns[vec.catalogColumn] as { values: Float32Array }).values : await vec.source!.read(start, count);
    const raC = b.columns[p.ra],
      decC = b.columns[p.dec],
      idC = p.id ? b.columns[p.id] : null;
    const fresh: NewObject[] = [],
      freshRows: number[] = [],
      repairIdx: number[] = [],
      repairRows: number[] = [];
    const seen = new Set<string>();
    const skip = (i: number, id: string, reason: string) => report.skipped.push({ id, row: start + i, code: 'BAD_INPUT', reason } satisfies SkippedItem);
    for (let i = 0; i < count; i++) {
      const ra = num(raC, i, parseRa),
        dec = num(decC, i, parseDec);
      const rawId = idC ? cell(idC, i) : null;
      const id = rawId !== null ? String(rawId) : idC ? '' : Number.isFinite(ra) && Number.isFinite(dec) ? positionalId('OBJ', ra, dec) : '';
      const label = id || `row ${start + i}`;
      const err = b.errors?.get(i);
      if (err) {
        skip(i, label, err);
        continue;
      }
      if (!id) {
        skip(i, label, 'no id');
        continue;
      }
      if (!Number.isFinite(ra) || !Number.isFinite(dec)) {
        skip(i, label, `ra/dec not finite (${ra}, ${dec})`);
        continue;
      }
      if (dec < -90 || dec > 90) {
        skip(i, label, `dec ${dec} outside [-90, 90]`);
        continue;
      }
      let finite = true,
        norm = 0;
      for (let k = i * dim, e = k + dim; k < e; k++) {
        const x = vectors[k];
        if (!Number.isFinite(x)) {
          finite = false;
          break;
        }
        norm += x * x;
      }
      if (!finite) {
        skip(i, label, 'vector has a non-finite value');
        continue;
      }
      if (model.metric === 'cosine' && norm === 0) {
        skip(i, label, 'zero vector (no direction for cosine similarity)');
        continue;
      }
      if (seen.has(id)) {
        skip(i, label, `duplicate id '${id}' in the catalogue`);
        continue;
      }
      seen.add(id);
      const have = ws.findById(id);
      if (have !== undefined) {
        if (!done[have]) {
          repairIdx.push(have);
          repairRows.push(i);
        } else report.alreadyPresent++;
        continue;
      }
      const extra: Record<string, number | string | null> = {};
      for (const x of p.extras) {
        const v = cell(b.columns[x], i);
        if (v !== null) extra[x] = v;
      }
      fresh.push({ id, ra, dec, source, truth: null, extra });
      freshRows.push(i);
    }
    const idxs = ws.addCatalogObjects(fresh);
    const all = [...idxs, ...repairIdx],
      rows = [...freshRows, ...repairRows];
    if (all.length) {
      const data = new Float32Array(all.length * dim);
      rows.forEach((r, j) => data.set(vectors.subarray(r * dim, (r + 1) * dim), j * dim));
      matrix.write(all, data);
      if (done.length < ws.count()) {
        const grown = new Uint8Array(ws.count());
        grown.set(done);
        done = grown;
      }
      for (const x of all) done[x] = 1;
    }
    report.added += idxs.length;
    if (idxs.length) {
      report.firstIdx ??= idxs[0];
      report.lastIdx = idxs[idxs.length - 1];
    }
    const at = start + count;
    opts.onProgress?.({ phase: 'importing', done: at, total: n, failed: report.skipped.length, etaSeconds: eta(at, n, t0) });
    await new Promise((r) => setImmediate(r));
  }
  report.elapsedMs = Date.now() - t0;
  return report;
}

/** Opens the workspace an embedding catalogue goes into, creating it without pixels when missing. */
export function openEmbeddingsWorkspace(dir: string): { ws: Workspace; created: boolean } {
  if (!Workspace.isWorkspace(dir)) return { ws: Workspace.create(dir, { cutout: NO_PIXELS_CUTOUT, pixels: false }), created: true };
  const ws = Workspace.open(dir);
  if (ws.hasPixels) {
    ws.close();
    throw new AppError('CONFLICT', `${dir} stores cutouts; an embedding catalogue goes into a workspace of its own (without pixels): name a new folder`);
  }
  return { ws, created: false };
}

/** `latent-sky ingest WS --from embeddings`: prepare, open or create the workspace, import, close. */
export async function ingestEmbeddings(
  dir: string,
  input: EmbeddingsIngestInput,
  opts: EmbeddingsRunOptions & { onPrepared?: (p: PreparedEmbeddings) => void } = {},
): Promise<{ report: IngestReport; model: ImportedModel; workspace: string; objects: number; readers: PreparedEmbeddings['readers'] }> {
  const prepared = await prepareEmbeddingsIngest(input);
  try {
    opts.onPrepared?.(prepared);
    const { ws } = openEmbeddingsWorkspace(dir);
    try {
      const report = await prepared.run(ws, opts);
      return { report, model: prepared.model, workspace: ws.dir, objects: ws.count(), readers: prepared.readers };
    } finally {
      ws.close();
    }
  } finally {
    prepared.close();
  }
}
