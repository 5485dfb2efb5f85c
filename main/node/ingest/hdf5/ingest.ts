/**
 * Import a Multimodal Universe style HDF5 file (layout.ts) with h5wasm,
 * reading a chunk of rows at a time (≤ 64 MB of pixels), so files far
 * larger than memory go through. Bands are matched to the workspace's by
 * name (DES-G → g, ...); images are fitted to the workspace cutout by pixel
 * scale (resample.ts). Rows with bad coordinates or a repeated id are
 * reported and skipped; data stored outside the file (external storage,
 * virtual datasets, external links) is refused (h5-file.ts).
 */
import { basename } from 'node:path';
import { AppError, isAppError } from '@app/core/errors';
import { positionalId } from '@app/tables/catalog-columns';
import { BAND_ORDER } from '../folder/decode';
import type { IngestProgress, IngestReport } from '../report';
import { eta } from '../report';
import { fitByPixscale } from '../resample';
import { OrderedCommitter, safeExtras, type CutoutShape, type IngestSink } from '../sink';
import { checkInsideFile, guarded, openH5, type H5File } from './h5-file';
import { detectLayout, type H5Dataset, type H5Source, type Hdf5Layout } from './layout';

export interface Hdf5Options {
  size?: number;
  limit?: number;
  /** rows per read (default: as many as fit in 64 MB of pixels) */
  chunkRows?: number;
}
export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (p: IngestProgress) => void;
}

const CHUNK_BYTES = 64 * 1024 * 1024;

function toNumbers(v: unknown): Float64Array {
  if (v instanceof Float64Array) return v;
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) return Float64Array.from(v as unknown as ArrayLike<bigint>, (x) => Number(x));
  if (ArrayBuffer.isView(v)) return Float64Array.from(v as unknown as ArrayLike<number>);
  return Float64Array.from(v as ArrayLike<unknown>, (x) => Number(x));
}

function cell(v: unknown, i: number): number | string | null {
  if (ArrayBuffer.isView(v)) {
    const x = (v as unknown as ArrayLike<number | bigint>)[i];
    if (typeof x === 'bigint') return Number.isSafeInteger(Number(x)) ? Number(x) : String(x);
    return Number.isFinite(x) ? x : null;
  }
  const x = (v as unknown[])[i];
  return typeof x === 'string' ? x : x instanceof Uint8Array ? new TextDecoder().decode(x) : null;
}

function idText(v: unknown, i: number): string | null {
  if (ArrayBuffer.isView(v)) {
    const x = (v as unknown as ArrayLike<number | bigint>)[i];
    return typeof x === 'bigint' ? x.toString() : Number.isFinite(x) ? String(x) : null;
  }
  const x = (v as unknown[])[i];
  return x === undefined || x === null ? null : typeof x === 'string' ? x.trim() : x instanceof Uint8Array ? new TextDecoder().decode(x).trim() : String(x);
}

function shapeFor(layout: Hdf5Layout, f: H5Source, opts: Hdf5Options): CutoutShape {
  const bands = [...layout.bandNames].sort((a, b) => ((BAND_ORDER.indexOf(a) + 99) % 99) - ((BAND_ORDER.indexOf(b) + 99) % 99));
  let pixscale = 0.262;
  if (layout.scale && layout.n > 0) {
    const s = toNumbers(f.get(layout.scale).slice(f.get(layout.scale).shape!.length === 2 ? [[0, 1], []] : [[0, 1]]));
    if (s[0] > 0) pixscale = s[0];
  }
  return { bands, size: opts.size ?? layout.height, pixscale, unit: 'nanomaggies' };
}

/** Reads the first row of every dataset the import uses, so that data outside the file is refused before the import starts. */
function probeRows(f: H5File, path: string, L: Hdf5Layout): void {
  if (L.n === 0) return;
  for (const k of [L.image, L.ra, L.dec, L.id, L.scale, ...L.scalars, ...L.perBand]) {
    if (!k) continue;
    const rank = (f.get(k).shape ?? []).length;
    guarded(path, `dataset '${k}'`, () => f.get(k).slice(([[0, 1], [], [], []] as ([number, number] | [])[]).slice(0, Math.max(1, rank))));
  }
}

/** The folder importer's rule (catalogRows): ra in [-360, 720] (wrapped to [0, 360)), dec in [-90, 90]. */
function coordinateProblem(ra: number, dec: number): string | null {
  if (!Number.isFinite(ra) || !Number.isFinite(dec)) return `missing or invalid coordinates (ra=${ra}, dec=${dec})`;
  if (ra < -360 || ra > 720 || dec < -90 || dec > 90) return `coordinates out of range (ra=${ra}, dec=${dec})`;
  return null;
}

export const ingestHdf5 = {
  async prepare(path: string, opts: Hdf5Options = {}) {
    const file = await openH5(path);
    let layout: Hdf5Layout, shape: CutoutShape;
    try {
      checkInsideFile(file, path, file.keys());
      layout = guarded(path, 'the layout', () => detectLayout(file, basename(path)));
      shape = guarded(path, 'the layout', () => shapeFor(layout, file, opts));
      probeRows(file, path, layout);
    } catch (e) {
      throw isAppError(e) ? e : new AppError('BAD_INPUT', `${path}: cannot read the HDF5 layout (${(e as Error)?.message ?? String(e)})`);
    } finally {
      file.close();
    }
    const notes = layout.bandsAssumed
      ? [`${basename(path)}: no image_band dataset; the ${layout.bands} image planes are taken to be ${layout.bandNames.join(',')}`]
      : [];
    return { shape, layout, notes, ingest: (sink: IngestSink, run: RunOptions = {}) => importFile(path, layout, sink, run, opts) };
  },
};

async function importFile(path: string, L: Hdf5Layout, sink: IngestSink, run: RunOptions, opts: Hdf5Options): Promise<IngestReport> {
  const t0 = Date.now();
  const file = await openH5(path);
  try {
    checkInsideFile(file, path, file.keys());
    for (const k of [L.image, L.ra, L.dec, L.id, L.scale, ...L.scalars, ...L.perBand])
      if (k && !file.get(k)) throw new AppError('BAD_INPUT', `${path}: dataset '${k}' is gone (the ` + `file changed since it was prepared)`);
  } catch (e) {
    file.close();
    throw e;
  }
  const spec = sink.spec;
  const n = Math.min(L.n, opts.limit ?? L.n);
  const committer = new OrderedCommitter(sink, 128);
  const source = `hdf5:${basename(path)}`;
  const planeIdx = spec.bands.map((b) => L.bandNames.indexOf(b));
  const missing = spec.bands.filter((_, k) => planeIdx[k] < 0);
  if (missing.length) {
    file.close();
    throw new AppError('BAD_INPUT', `${path}: has bands ${L.bandNames.join(',')}, the workspace needs ${spec.bands.join(',')} (missing ${missing.join(',')})`);
  }
  const rowPixels = L.bands * L.height * L.width;
  const chunk = opts.chunkRows ?? Math.max(1, Math.floor(CHUNK_BYTES / (rowPixels * 4)));
  const plane = L.height * L.width;
  let alreadyPresent = 0,
    failed = 0,
    cancelled = false;
  const get = (k: string): H5Dataset => file.get(k);
  const read = (k: string, ranges: ([number, number] | [])[]) => guarded(path, `dataset '${k}'`, () => get(k).slice(ranges));
  /** id → first row, over the whole file: a repeated id is a skipped row, never a failed batch */
  const seen = new Map<string, number>();
  try {
    for (let start = 0; start < n; start += chunk) {
      if (run.signal?.aborted) {
        cancelled = true;
        break;
      }
      const end = Math.min(n, start + chunk);
      const rows: [number, number] = [start, end];
      const ra = toNumbers(read(L.ra, [rows])),
        dec = toNumbers(read(L.dec, [rows]));
      const ids = L.id ? read(L.id, [rows]) : null;
      const scales = L.scale ? toNumbers(read(L.scale, get(L.scale).shape!.length === 2 ? [rows, []] : [rows])) : null;
      const scalars = L.scalars.map((k) => read(k, [rows]));
      const perBand = L.perBand.map((k) => read(k, [rows, []]));
      let pixels: Float32Array | null = null;
      for (let i = start; i < end; i++) {
        const j = i - start;
        const id = (ids !== null ? idText(ids, j) : null) || positionalId('H5', ra[j], dec[j]);
        const bad = coordinateProblem(ra[j], dec[j]);
        if (bad) {
          failed++;
          committer.put(i, { id, row: i, code: 'BAD_INPUT', reason: bad });
          continue;
        }
        ra[j] = ((ra[j] % 360) + 360) % 360;
        const first = seen.get(id);
        if (first !== undefined) {
          failed++;
          committer.put(i, { id, row: i, code: 'BAD_INPUT', reason: `duplicate id (first seen on row ${first})` });
          continue;
        }
        seen.set(id, i);
        if (sink.has(id)) {
          alreadyPresent++;
          committer.put(i, null);
          continue;
        }
        if (!pixels) {
          const raw = read(L.image, ([rows, [], [], []] as ([number, number] | [])[]).slice(0, (get(L.image).shape ?? []).length));
          pixels = raw instanceof Float32Array ? raw : Float32Array.from(toNumbers(raw));
        }
        const data = new Float32Array(spec.bands.length * spec.size * spec.size);
        const scale = scales ? scales[scales.length === end - start ? j : j * L.bands] : spec.pixscale;
        planeIdx.forEach((p, k) => {
          const src = new Float32Array(plane);
          if (L.channelsLast) for (let q = 0; q < plane; q++) src[q] = pixels![(j * plane + q) * L.bands + p];
          else src.set(pixels!.subarray((j * L.bands + p) * plane, (j * L.bands + p + 1) * plane));
          const same = L.width === spec.size && L.height === spec.size && Math.abs(scale - spec.pixscale) < 1e-6 * spec.pixscale;
          data.set(
            same ? src : fitByPixscale({ data: src, width: L.width, height: L.height, bands: 1 }, scale > 0 ? scale : spec.pixscale, spec.size, spec.pixscale),
            k * spec.size * spec.size,
          );
        });
        const extra: Record<string, number | string | null> = {};
        L.scalars.forEach((k, m) => {
          extra[k] = cell(scalars[m], j);
        });
        L.perBand.forEach((k, m) =>
          L.bandNames.forEach((b, p) => {
            extra[`${k}_${b}`] = cell(perBand[m], j * L.bands + p);
          }),
        );
        committer.put(i, {
          object: { id, ra: ra[j], dec: dec[j], source, truth: null, extra: safeExtras(extra) },
          cutout: { bands: [...spec.bands], width: spec.size, height: spec.size, pixscale: spec.pixscale, unit: spec.unit, data },
        });
      }
      committer.flush();
      run.onProgress?.({ phase: 'importing', done: end, total: n, failed, etaSeconds: eta(end, n, t0) });
      await new Promise((r) => setImmediate(r));
    }
  } catch (e) {
    if (!isAppError(e)) throw new AppError('BAD_INPUT', `${path}: reading failed (${(e as Error)?.message ?? String(e)})`);
    throw e;
  } finally {
    committer.flush();
    file.close();
  }
  return {
    source,
    total: n,
    added: committer.added,
    alreadyPresent,
    skipped: committer.skipped,
    elapsedMs: Date.now() - t0,
    cancelled,
    firstIdx: committer.firstIdx,
    lastIdx: committer.lastIdx,
  };
}
