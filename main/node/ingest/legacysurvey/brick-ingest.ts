/**
 * Catalogue → Legacy Survey coadd bricks → stamps → workspace: for dense
 * catalogues (many objects per 0.25° brick) this downloads each brick image
 * once instead of one cutout request per object. Brick files are cached
 * (atomic writes), so an interrupted run resumes; objects already in the
 * workspace are skipped; bricks with nothing left to cut are not fetched.
 * Objects enter the workspace brick by brick (spatially grouped), not in
 * catalogue order, so that only one brick's stamps are held in memory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAppError, AppError } from '@app/core/errors';
import { responseCap } from '@app/core/limits';
import { catalogRows, detectCatalogColumns, rowExtras, type ColumnOverrides } from '@app/tables/catalog-columns';
import type { Table } from '@app/tables/table';
import { removeStaleTemps, writeFileAtomicAsync } from '../../workspace/atomic-file';
import { fetchBytes, type FetchPolicy } from '../net/http';
import { runPool } from '../net/pool';
import { RateLimiter } from '../net/rate-limit';
import { eta, type IngestReport, type ProgressFn } from '../report';
import { fitByPixscale } from '../resample';
import { OrderedCommitter, safeExtras, type IngestSink } from '../sink';
import { brickImageUrl, BrickIndex, cutStamp, decodeBrickImage, type BrickImage } from './bricks';

export interface BrickIngestOptions {
  /** e.g. https://portal.nersc.gov/cfs/cosmo/data/legacysurvey/dr10/south */
  coaddUrl: string;
  /** survey-bricks.fits(.gz): bytes, or a local path / URL to fetch (cached) */
  bricksTable: string;
  layer: string;
  bands: string;
  cacheDir: string;
  concurrency?: number;
  ratePerSecond?: number;
  policy?: Omit<FetchPolicy, 'limiter' | 'signal'>;
  signal?: AbortSignal;
  onProgress?: ProgressFn;
  columns?: ColumnOverrides;
  catalogName?: string;
}

const BRICK_PIXSCALE = 0.262;
/** a brick image is 3600 × 3600 pixels (tile-compressed float32); float64 uncompressed is the most it can honestly take */
const BRICK_IMAGE_CAP = responseCap(3600 * 3600 * 8);

export async function ingestLegacySurveyBricks(sink: IngestSink, table: Table, opts: BrickIngestOptions): Promise<IngestReport> {
  const t0 = Date.now();
  const spec = sink.spec;
  const names = detectCatalogColumns(table, opts.columns, opts.catalogName ?? 'catalogue');
  const rows = catalogRows(table, names, 'LS');
  const source = `legacysurvey:${opts.layer}`;
  const committer = new OrderedCommitter(sink);
  let seq = 0;
  const put = (r: Parameters<OrderedCommitter['put']>[1]) => committer.put(seq++, r);
  for (const e of rows.errors) committer.skipped.push({ id: e.id, row: e.row, code: 'BAD_INPUT', reason: e.reason });
  const limiter = new RateLimiter(opts.ratePerSecond ?? 4);
  const policy: FetchPolicy = { ...opts.policy, limiter, signal: opts.signal };
  removeStaleTemps(opts.cacheDir);
  const cached = async (rel: string, url: string, check: (b: Uint8Array) => unknown, maxBytes?: number): Promise<Uint8Array> => {
    const p = join(opts.cacheDir, rel);
    if (existsSync(p)) return readFileSync(p);
    const bytes = await fetchBytes(
      url,
      (b) => {
        check(b);
        return b;
      },
      { ...policy, ...(maxBytes ? { maxBytes } : {}) },
    );
    await writeFileAtomicAsync(p, bytes);
    return bytes;
  };
  const tableBytes = /^https?:/i.test(opts.bricksTable)
    ? await cached('survey-bricks.fits', opts.bricksTable, (b) => new BrickIndex(b))
    : (() => {
        try {
          return readFileSync(opts.bricksTable);
        } catch (e) {
          throw new AppError('NOT_FOUND', `${opts.bricksTable}: cannot read the bricks table ` + `(${(e as NodeJS.ErrnoException).code})`);
        }
      })();
  const index = new BrickIndex(tableBytes, opts.bricksTable);

  // targets grouped by brick, in catalogue order
  const groups = new Map<string, number[]>();
  let alreadyPresent = 0;
  const total = rows.ids.length;
  rows.ids.forEach((id, k) => {
    if (sink.has(id)) {
      alreadyPresent++;
      return;
    }
    const brick = index.find(rows.ra[k], rows.dec[k]);
    if (!brick) return put({ id, row: rows.rows[k], code: 'NOT_FOUND', reason: `(${rows.ra[k]}, ${rows.dec[k]}) is in no brick of the survey-bricks table` });
    groups.set(brick, [...(groups.get(brick) ?? []), k]);
  });
  const bands = opts.bands.split('');
  const f = spec.pixscale / BRICK_PIXSCALE;
  const side = Math.abs(f - 1) < 1e-9 ? spec.size : Math.ceil(spec.size * f) + 2;
  let done = total - [...groups.values()].reduce((s, g) => s + g.length, 0),
    failed = 0,
    cancelled = false,
    downloaded = 0;
  const start = Date.now();
  try {
    for (const [brick, members] of groups) {
      if (opts.signal?.aborted) {
        cancelled = true;
        break;
      }
      const images: (BrickImage | null)[] = new Array(bands.length).fill(null);
      let brickError: { code: AppError['code']; reason: string } | null = null;
      await runPool(
        bands.length,
        opts.concurrency ?? 3,
        async (b) => {
          try {
            const rel = join('bricks', brick, `legacysurvey-${brick}-image-${bands[b]}.fits.fz`);
            const had = existsSync(join(opts.cacheDir, rel));
            const bytes = await cached(rel, brickImageUrl(opts.coaddUrl, brick, bands[b]), (x) => decodeBrickImage(x, `${brick}-${bands[b]}`), BRICK_IMAGE_CAP);
            if (!had) downloaded++;
            images[b] = decodeBrickImage(bytes, `${brick}-${bands[b]}`);
          } catch (e) {
            if (isAppError(e) && e.code === 'CANCELLED') throw e;
            const err = (e as { error?: AppError }).error ?? e;
            brickError ??= isAppError(err)
              ? { code: err.code, reason: `brick ${brick} band ${bands[b]}: ${err.message}` }
              : { code: 'INTERNAL', reason: String(err) };
          }
        },
        opts.signal,
      );
      for (const k of members) {
        const id = rows.ids[k];
        if (brickError) {
          failed++;
          put({ id, row: rows.rows[k], ...(brickError as { code: AppError['code']; reason: string }) });
          continue;
        }
        const data = new Float32Array(bands.length * spec.size * spec.size);
        let ok = true;
        images.forEach((img, b) => {
          const stamp = cutStamp(img!, rows.ra[k], rows.dec[k], side);
          if (!stamp) {
            ok = false;
            return;
          }
          data.set(
            side === spec.size ? stamp : fitByPixscale({ data: stamp, width: side, height: side, bands: 1 }, BRICK_PIXSCALE, spec.size, spec.pixscale),
            b * spec.size * spec.size,
          );
        });
        if (!ok || !data.some((v) => v === v && v !== 0)) {
          failed++;
          put({ id, row: rows.rows[k], code: 'NOT_FOUND', reason: `no data in brick ${brick} at (${rows.ra[k]}, ${rows.dec[k]})` });
          continue;
        }
        put({
          object: {
            id,
            ra: rows.ra[k],
            dec: rows.dec[k],
            source,
            truth: null,
            extra: safeExtras({ ...rowExtras(table, rows.rows[k], names), brickname: brick }),
          },
          cutout: { bands: [...spec.bands], width: spec.size, height: spec.size, pixscale: spec.pixscale, unit: spec.unit, data },
        });
      }
      done += members.length;
      opts.onProgress?.({ phase: 'downloading', done, total, failed, etaSeconds: eta(done, total, start) });
    }
  } catch (e) {
    if (!(isAppError(e) && e.code === 'CANCELLED')) throw e;
    cancelled = true;
  } finally {
    committer.flush();
  }
  return {
    source,
    total: table.nrows,
    added: committer.added,
    alreadyPresent,
    skipped: committer.skipped,
    downloaded,
    elapsedMs: Date.now() - t0,
    cancelled,
    firstIdx: committer.firstIdx,
    lastIdx: committer.lastIdx,
  };
}
