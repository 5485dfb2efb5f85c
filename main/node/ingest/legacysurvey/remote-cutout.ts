/**
 * The inspector's pixels for a workspace without pixels (an embedding
 * catalogue): one object's cutout from the Legacy Survey cutout service,
 * through the downloader (downloadCutouts: its FITS validation, size cap,
 * retries and rate limit), cached in the workspace (WS/cache/legacysurvey,
 * the downloader's cache layout) so it is fetched once. Offline it fails
 * fast with one UNAVAILABLE "no pixels offline" line: a reachability probe
 * (net/reachable.ts) answers for REACHABLE_TTL_MS, so a dead network costs
 * one short probe, not a timeout per object. The service's base URL is
 * LATENT_SKY_CUTOUT_URL when set (a mirror, or a local server in tests).
 * Besides the image layer (ls-dr10) it fetches the Tractor model and
 * residual layers (ls-dr10-model, ls-dr10-resid) for vetting, cached per
 * layer, at the object's catalogue ra/dec and the workspace's cutout spec.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CUTOUT_LAYERS, type CutoutLayer } from '@app/contracts/types';
import { AppError } from '@app/core/errors';
import type { Cutout } from '@app/domain/cutout';
import type { Workspace } from '../../workspace';
import { assertReachable } from '../net/reachable';
import { CutoutCache } from './cache';
import { downloadCutouts, type FetchResult } from './download';
import { DEFAULT_BASE_URL } from './urls';
import { validateCutoutFits } from './validate';

/** the Legacy Survey layer asked for (the DR10 south + north images) */
export const REMOTE_LAYER = 'ls-dr10';
/** the layers one object can be fetched in: the image, the Tractor model, image minus model */
export const REMOTE_LAYERS = CUTOUT_LAYERS;
export type RemoteLayer = CutoutLayer;
/** how long one reachability answer is trusted, ms */
const REACHABLE_TTL_MS = 30_000;
/** the probe's timeout: offline answers within this, ms */
const PROBE_TIMEOUT_MS = 1500;

const probes = new Map<string, { at: number; why: string | null }>();

export function remoteCutoutBase(): string {
  return process.env.LATENT_SKY_CUTOUT_URL || DEFAULT_BASE_URL;
}

function offline(layer: RemoteLayer, why: string): AppError {
  return layer === REMOTE_LAYER
    ? new AppError('UNAVAILABLE', `no pixels offline: this workspace holds embeddings only, and ${why}`)
    : new AppError('UNAVAILABLE', `no ${layer} layer offline: ${why}`);
}

async function checkReachable(base: string, layer: RemoteLayer): Promise<void> {
  const have = probes.get(base);
  if (have && Date.now() - have.at < REACHABLE_TTL_MS) {
    if (have.why !== null) throw offline(layer, have.why);
    return;
  }
  let why: string | null = null;
  try {
    await assertReachable(`${base.replace(/\/+$/, '')}/`, 'the Legacy Survey cutout service', PROBE_TIMEOUT_MS);
  } catch (e) {
    why = e instanceof AppError ? e.message.replace(/: check the network connection.*$/, '') : String(e);
  }
  probes.set(base, { at: Date.now(), why });
  if (why !== null) throw offline(layer, why);
}

/** forget reachability answers (tests switch the network on and off) */
export function forgetReachability(): void {
  probes.clear();
}

export async function fetchRemoteCutout(
  ws: Workspace,
  idx: number,
  opts: { baseUrl?: string; signal?: AbortSignal; layer?: RemoteLayer } = {},
): Promise<Cutout> {
  const layer = opts.layer ?? REMOTE_LAYER;
  if (!(REMOTE_LAYERS as readonly string[]).includes(layer)) throw new AppError('BAD_INPUT', `layer '${layer}' is not one of ${REMOTE_LAYERS.join(', ')}`);
  if (!Number.isInteger(idx) || idx < 0 || idx >= ws.count())
    throw new AppError('UNKNOWN_OBJECT', `no object ${idx} in this workspace (it holds ${ws.count()})`);
  const base = opts.baseUrl ?? remoteCutoutBase();
  const o = ws.getObject(idx);
  const spec = ws.manifest.cutout;
  const cacheDir = ws.readonly ? join(tmpdir(), 'latent-sky-cutout-cache') : ws.dirPath('cache', 'legacysurvey');
  const params = { layer, pixscale: spec.pixscale, size: spec.size, bands: spec.bands.join('') };
  // a cached cutout needs no network
  const cache = new CutoutCache(cacheDir, params);
  const bytes = cache.read(o.ra, o.dec);
  if (bytes) {
    try {
      return validateCutoutFits(bytes, { bands: spec.bands, size: spec.size, pixscale: spec.pixscale, name: o.id });
    } catch {
      cache.drop(o.ra, o.dec);
    }
  }
  await checkReachable(base, layer);
  let result: FetchResult | null = null;
  const download = { ...params, baseUrl: base, cacheDir, concurrency: 1, retries: 2, timeoutMs: 10_000, deadlineMs: 20_000, signal: opts.signal };
  await downloadCutouts([{ id: o.id, ra: o.ra, dec: o.dec }], download, (_, r) => {
    result = r;
  });
  const r = result as FetchResult | null;
  if (!r) throw new AppError('INTERNAL', `no answer for the cutout of ${o.id}`);
  if (!r.ok) throw new AppError(r.code, `the Legacy Survey ${layer} cutout of ${o.id} (ra ${o.ra}, dec ${o.dec}): ${r.reason}`);
  return r.cutout;
}
