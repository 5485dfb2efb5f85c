/** The workspace as an ingest sink, and opening-or-creating the workspace an ingest targets. */
import { AppError } from '@app/core/errors';
import { Workspace } from '../workspace';
import type { CutoutShape, IngestSink } from './sink';

export function workspaceSink(ws: Workspace): IngestSink {
  const c = ws.manifest.cutout;
  return {
    spec: { bands: c.bands, size: c.size, pixscale: c.pixscale, unit: c.unit },
    has: (id) => ws.findById(id) !== undefined,
    add: (items) => ws.addObjects(items),
    check: (item) => ws.validateItem(item),
  };
}

/**
 * Open the workspace in `dir`, or create it with `shape` when there is none.
 * An existing workspace must hold cutouts of the same bands and unit; a
 * different size/pixscale is an error only when `strict` (the source cannot resample).
 */
export function openOrCreateWorkspace(
  dir: string,
  shape: CutoutShape,
  opts: { strictGeometry: boolean; explicit: Partial<Record<'size' | 'pixscale' | 'bands', boolean>> },
): { ws: Workspace; created: boolean } {
  if (!Workspace.isWorkspace(dir)) return { ws: Workspace.create(dir, { cutout: shape }), created: true };
  const ws = Workspace.open(dir);
  const c = ws.manifest.cutout;
  const clash = (what: string, have: unknown, want: unknown) => {
    ws.close();
    return new AppError(
      'BAD_INPUT',
      `${dir} holds ${what} ${String(have)} cutouts, this ingest makes ${String(want)}; use another workspace or drop the flag to use the workspace's`,
    );
  };
  if (opts.explicit.bands && c.bands.join(',') !== shape.bands.join(',')) throw clash('bands', c.bands.join(','), shape.bands.join(','));
  if (c.unit !== shape.unit) throw clash('unit', c.unit, shape.unit);
  if (opts.strictGeometry && opts.explicit.size && c.size !== shape.size) throw clash('size', c.size, shape.size);
  if (opts.strictGeometry && opts.explicit.pixscale && Math.abs(c.pixscale - shape.pixscale) > 1e-9) throw clash('pixscale', c.pixscale, shape.pixscale);
  return { ws, created: false };
}
