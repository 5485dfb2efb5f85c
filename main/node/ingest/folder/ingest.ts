/**
 * Import a folder of cutouts (see plan.ts for how files become objects and
 * decode.ts for the formats). Colour PNG/JPEG images are 8-bit (unit 'u8');
 * with rgbAs 'grz' (default) their planes are stored as bands z ← R,
 * r ← G, g ← B (the Legacy Survey viewer's colour mapping), so a g,r,z
 * model can read them; rgbAs 'rgb' keeps bands R, G, B for RGB models.
 * Each image is fitted to the workspace cutout (resample.ts). Files that
 * cannot be used are reported with the reason; the import goes on.
 */
import { AppError, isAppError } from '@app/core/errors';
import type { ColumnOverrides } from '@app/tables/catalog-columns';
import type { Table } from '@app/tables/table';
import type { IngestProgress, IngestReport, SkippedItem } from '../report';
import { eta } from '../report';
import { fitByPixscale, fitWhole } from '../resample';
import { OrderedCommitter, type CutoutShape, type IngestItem, type IngestSink } from '../sink';
import { BAND_ORDER, decodeImageFile, type DecodedImage } from './decode';
import { planFolder, type PlannedObject } from './plan';

export interface FolderOptions {
  table?: Table;
  catalogName?: string;
  columns?: ColumnOverrides;
  /** cutout side for a new workspace (default 64) */
  size?: number;
  /** arcsec/pixel for a new workspace of colour images (default 0.262) */
  pixscale?: number;
  rgbAs?: 'grz' | 'rgb';
  /** files not to import (the catalogue itself when it lies in the folder) */
  exclude?: string[];
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (p: IngestProgress) => void;
}

const RGB_AS_GRZ: Record<string, string> = { R: 'z', G: 'r', B: 'g' };

function bandNames(img: DecodedImage, file: { band: string | null }, rgbAs: 'grz' | 'rgb'): (string | null)[] {
  if (img.kind !== 'fits') return rgbAs === 'grz' ? img.bands.map((b) => RGB_AS_GRZ[b!]) : img.bands;
  if (img.bands.length === 1 && file.band) return [file.band];
  return img.bands;
}

function skip(id: string, e: unknown, extra: Partial<SkippedItem> = {}): SkippedItem {
  if (isAppError(e)) return { id, code: e.code, reason: e.message, ...extra };
  return { id, code: 'INTERNAL', reason: String((e as Error)?.message ?? e), ...extra };
}

/** One planned object → a workspace item, or a skip with the reason. */
function buildItem(o: PlannedObject, spec: CutoutShape, rgbAs: 'grz' | 'rgb'): IngestItem | SkippedItem {
  const planes = new Map<string, { img: DecodedImage; plane: Float32Array }>();
  let first: DecodedImage | null = null;
  for (const f of o.files) {
    let img: DecodedImage;
    try {
      img = decodeImageFile(f.path, f.kind);
    } catch (e) {
      return skip(o.id, e, { file: f.path, row: o.row });
    }
    if ((img.kind === 'fits') !== (spec.unit !== 'u8'))
      return {
        id: o.id,
        row: o.row,
        file: f.path,
        code: 'BAD_INPUT',
        reason:
          `${f.path}: ${img.kind === 'fits' ? 'FITS' : 'colour'} image does not fit a workspace of ${spec.unit} ` + `cutouts (bands ${spec.bands.join(',')})`,
      };
    first ??= img;
    const names = bandNames(img, f, rgbAs);
    const n = img.width * img.height;
    const unnamed = names.every((b) => b === null);
    names.forEach((b, k) => {
      const name = b ?? (unnamed && names.length === spec.bands.length ? spec.bands[k] : null);
      if (name) planes.set(name, { img, plane: img.data.subarray(k * n, (k + 1) * n) });
    });
  }
  const missing = spec.bands.filter((b) => !planes.has(b));
  if (missing.length)
    return {
      id: o.id,
      row: o.row,
      file: o.files[0].path,
      code: 'BAD_INPUT',
      reason: `missing band(s) ${missing.join(',')} (has ` + `${[...planes.keys()].join(',') || 'no named bands'})`,
    };
  const size = spec.size;
  const data = new Float32Array(spec.bands.length * size * size);
  spec.bands.forEach((b, k) => {
    const { img, plane } = planes.get(b)!;
    const one = { data: plane, width: img.width, height: img.height, bands: 1 };
    const fitted =
      img.pixscale !== null ? fitByPixscale(one, img.pixscale, size, spec.pixscale) : img.width === size && img.height === size ? plane : fitWhole(one, size);
    data.set(fitted, k * size * size);
  });
  const ra = o.ra ?? first!.centre?.[0] ?? null,
    dec = o.dec ?? first!.centre?.[1] ?? null;
  if (ra === null || dec === null)
    return {
      id: o.id,
      row: o.row,
      file: o.files[0].path,
      code: 'BAD_INPUT',
      reason: `${o.files[0].path}: no coordinates (no celestial WCS and no catalogue row)`,
    };
  const pixscale = first!.pixscale ?? spec.pixscale;
  return {
    object: {
      id: o.id,
      ra,
      dec,
      source: 'folder',
      truth: null,
      extra: { ...o.extra, file: o.files.map((f) => f.path).join(';'), ...(first!.pixscale ? { native_pixscale: pixscale } : {}) },
    },
    cutout: { bands: [...spec.bands], width: size, height: size, pixscale: spec.pixscale, unit: spec.unit, data },
  };
}

function shapeOf(plan: ReturnType<typeof planFolder>, opts: FolderOptions): CutoutShape {
  const size = opts.size ?? 64;
  const rgbAs = opts.rgbAs ?? 'grz';
  for (const o of plan.objects) {
    for (const f of o.files) {
      if (f.kind !== 'fits') continue;
      let img: DecodedImage;
      try {
        img = decodeImageFile(f.path, 'fits');
      } catch {
        continue;
      }
      const bands = new Set<string>();
      for (const g of o.files) {
        if (g.band) bands.add(g.band);
      }
      if (img.bands.length > 1 || bands.size === 0) img.bands.forEach((b) => b && bands.add(b));
      const ordered = [...bands].sort((a, b) => ((BAND_ORDER.indexOf(a) + 99) % 99) - ((BAND_ORDER.indexOf(b) + 99) % 99));
      return {
        bands: ordered.length ? ordered : ['g', 'r', 'z'],
        size,
        pixscale: img.pixscale ?? 0.262,
        unit: img.bunit && /nanomagg/.test(img.bunit) ? 'nanomaggies' : img.bunit ? 'counts' : 'nanomaggies',
      };
    }
  }
  if (plan.objects.length === 0)
    throw new AppError('BAD_INPUT', `no usable image files (${plan.skipped.length} skipped: ${plan.skipped[0]?.reason ?? 'folder is empty'})`);
  return { bands: rgbAs === 'grz' ? ['g', 'r', 'z'] : ['R', 'G', 'B'], size, pixscale: opts.pixscale ?? 0.262, unit: 'u8' };
}

export const ingestFolder = {
  /** Scan the folder and decide the cutout shape a new workspace gets. */
  async prepare(dir: string, opts: FolderOptions = {}) {
    const plan = planFolder(dir, { table: opts.table, columns: opts.columns, catalogName: opts.catalogName, exclude: opts.exclude });
    const shape = shapeOf(plan, opts);
    return {
      shape,
      plan,
      notes: [] as string[],
      ingest: (sink: IngestSink, run: RunOptions = {}) => importPlan(sink, plan, opts.rgbAs ?? 'grz', run, opts.table?.nrows),
    };
  },
};

async function importPlan(sink: IngestSink, plan: ReturnType<typeof planFolder>, rgbAs: 'grz' | 'rgb', run: RunOptions, rows?: number): Promise<IngestReport> {
  const t0 = Date.now();
  const committer = new OrderedCommitter(sink, 128);
  committer.skipped.push(...plan.skipped);
  let alreadyPresent = 0,
    failed = 0,
    cancelled = false;
  const total = plan.objects.length;
  try {
    for (let i = 0; i < total; i++) {
      if (run.signal?.aborted) {
        cancelled = true;
        break;
      }
      const o = plan.objects[i];
      if (sink.has(o.id)) {
        alreadyPresent++;
        committer.put(i, null);
        continue;
      }
      const r = buildItem(o, sink.spec, rgbAs);
      if ('code' in r) failed++;
      committer.put(i, r);
      if (i % 16 === 15 || i === total - 1) {
        run.onProgress?.({ phase: 'importing', done: i + 1, total, failed, etaSeconds: eta(i + 1, total, t0) });
        await new Promise((r) => setImmediate(r)); // let Ctrl-C and progress through
      }
    }
  } finally {
    committer.flush();
  }
  return {
    source: 'folder',
    total: rows ?? plan.files,
    added: committer.added,
    alreadyPresent,
    skipped: committer.skipped,
    elapsedMs: Date.now() - t0,
    cancelled,
    firstIdx: committer.firstIdx,
    lastIdx: committer.lastIdx,
  };
}
