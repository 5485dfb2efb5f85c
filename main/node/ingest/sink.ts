/**
 * Where importers put objects: the workspace, seen through the few calls an
 * importer needs. Objects are committed in input order (catalogue order)
 * even when they finish out of order (parallel downloads), in batches, and
 * every item is checked first so one bad item cannot sink its batch.
 */
import { AppError } from '@app/core/errors';
import type { Cutout } from '@app/domain/cutout';
import type { NewObject } from '@app/domain/object';
import type { SkippedItem } from './report';

export interface CutoutShape {
  bands: string[];
  size: number;
  pixscale: number;
  unit: Cutout['unit'];
}

export interface IngestItem {
  object: NewObject;
  cutout: Cutout;
}

export interface IngestSink {
  readonly spec: CutoutShape;
  has(id: string): boolean;
  /** adds in order, returns the new idx values */
  add(items: IngestItem[]): number[];
  /** why the sink would refuse this item, or null */
  check(item: IngestItem): string | null;
}

const BUILTIN = new Set(['idx', 'id', 'ra', 'dec', 'source', 'truth']);

/** Catalogue columns that would clash with the workspace's own columns get a 'cat_' prefix. */
export function safeExtras(extra: Record<string, number | string | null>): Record<string, number | string | null> {
  const out: Record<string, number | string | null> = {};
  for (const [k, v] of Object.entries(extra)) out[BUILTIN.has(k.toLowerCase()) ? `cat_${k}` : k] = v;
  return out;
}

export class OrderedCommitter {
  private readonly pending = new Map<number, IngestItem | SkippedItem | null>();
  private next = 0;
  private batch: IngestItem[] = [];
  readonly skipped: SkippedItem[] = [];
  added = 0;
  firstIdx: number | undefined;
  lastIdx: number | undefined;

  constructor(
    private readonly sink: IngestSink,
    private readonly batchSize = 256,
  ) {}

  /** Result of input position i: an item, a skip, or null (nothing to add, e.g. already present). */
  put(i: number, r: IngestItem | SkippedItem | null): void {
    this.pending.set(i, r);
    while (this.pending.has(this.next)) {
      const x = this.pending.get(this.next)!;
      this.pending.delete(this.next);
      this.next++;
      if (x === null) continue;
      if ('code' in x) {
        this.skipped.push(x);
        continue;
      }
      const why = this.sink.check(x);
      if (why) this.skipped.push({ id: x.object.id, code: 'BAD_INPUT', reason: why });
      else this.batch.push(x);
    }
    if (this.batch.length >= this.batchSize) this.flush();
  }

  flush(): void {
    if (!this.batch.length) return;
    const items = this.batch;
    this.batch = [];
    const idx = this.sink.add(items);
    if (idx.length !== items.length) throw new AppError('INTERNAL', `workspace added ${idx.length} of ${items.length} objects`);
    this.added += idx.length;
    if (idx.length) {
      this.firstIdx ??= idx[0];
      this.lastIdx = idx[idx.length - 1];
    }
  }

  /** positions put but not yet committed because an earlier one is outstanding */
  get waiting(): number {
    return this.pending.size;
  }
}
