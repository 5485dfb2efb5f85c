/**
 * Sharded embedding for clusters: shard K of N owns the object rows
 * [lo, hi) (ranges aligned to the encoder batch, so a shard's batches are the
 * same row sets a single process with that batch encodes). Each shard writes its own
 * files, never the shared matrix or the catalogue, so array tasks on a shared
 * filesystem never contend for a lock:
 *   WS/embeddings/<model>/shards/K-of-N.f32   EMB header + (hi-lo) x dim float32
 *   WS/embeddings/<model>/shards/K-of-N.done  one bit per shard row
 *   WS/embeddings/<model>/shards/K-of-N.json  range, model, object count
 * Rows are fsync'ed before their bits are set, bits only go 0 -> 1, so a
 * re-run task (after a crash or a pre-emption) does only what is missing.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@app/core/errors';
import { EMB_HEADER_BYTES, encodeHeader, readHeader } from '../workspace/embeddings';
import { fsyncDir, persistDoneBits, writeAllAt, writeFileAtomic } from '../workspace/fsutil';

/** shard boundaries are multiples of the encoder batch by default, so a shard's batches are a single run's */
export const ALIGN = 32;

export interface ShardSpec {
  k: number;
  n: number;
}

export interface ShardMeta {
  k: number;
  n: number;
  lo: number;
  hi: number;
  /** objects in the workspace when the shard was planned (merge checks it still holds) */
  objects: number;
  modelKey: string;
  modelName: string;
  dim: number;
  meta: unknown;
}

/** 'K/N' (0 <= K < N) */
export function parseShard(s: string): ShardSpec {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  const k = m ? Number(m[1]) : NaN,
    n = m ? Number(m[2]) : NaN;
  if (!m || !(n >= 1) || !(k >= 0 && k < n)) throw new AppError('BAD_INPUT', `--shard must be K/N with 0 <= K < N (e.g. 3/16), got '${s}'`);
  return { k, n };
}

/** the rows [lo, hi) of shard k of n over `count` objects */
export function shardRange(count: number, { k, n }: ShardSpec, align = ALIGN): { lo: number; hi: number } {
  const per = Math.ceil(Math.ceil(count / n) / align) * align;
  return { lo: Math.min(count, k * per), hi: Math.min(count, (k + 1) * per) };
}

export const shardDir = (wsDir: string, modelKey: string) => join(wsDir, 'embeddings', modelKey, 'shards');
const base = (dir: string, s: ShardSpec) => join(dir, `${s.k}-of-${s.n}`);

/** One shard's rows; the write/doneCount/missing/reset surface of an EmbeddingMatrix, keyed by object idx. */
export class ShardMatrix {
  readonly lo: number;
  readonly hi: number;
  private fd: number;
  private readonly donePath: string;

  private constructor(
    readonly meta: ShardMeta,
    readonly path: string,
  ) {
    this.lo = meta.lo;
    this.hi = meta.hi;
    this.donePath = path.replace(/\.f32$/, '.done');
    this.fd = openSync(path, 'r+');
  }

  /** Opens shard `spec` of the workspace in `wsDir`, creating its files on first use. CONFLICT when the plan changed. */
  static open(wsDir: string, spec: ShardSpec, m: Omit<ShardMeta, 'k' | 'n' | 'lo' | 'hi'>, align = ALIGN): ShardMatrix {
    const dir = shardDir(wsDir, m.modelKey);
    const b = base(dir, spec);
    const { lo, hi } = shardRange(m.objects, spec, align);
    const meta: ShardMeta = { ...m, k: spec.k, n: spec.n, lo, hi };
    if (existsSync(`${b}.json`)) {
      const have = JSON.parse(readFileSync(`${b}.json`, 'utf8')) as ShardMeta;
      if (have.lo !== lo || have.hi !== hi || have.dim !== m.dim || have.objects !== m.objects)
        throw new AppError(
          'CONFLICT',
          `shard ${spec.k}/${spec.n} was started over rows ${have.lo}..${have.hi} of ${have.objects} objects (dim ${have.dim}); now ${lo}..${hi} of ` +
            `${m.objects} (dim ${m.dim}): remove ${dir} to start the shards again`,
        );
    } else {
      mkdirSync(dir, { recursive: true });
      writeFileAtomic(`${b}.done`, new Uint8Array(Math.ceil((hi - lo) / 8)));
      writeFileAtomic(`${b}.f32`, encodeHeader({ dim: m.dim, capacity: hi - lo, modelName: m.modelName }));
      writeFileAtomic(`${b}.json`, JSON.stringify(meta, null, 2) + '\n');
      fsyncDir(dir);
    }
    return new ShardMatrix(meta, `${b}.f32`);
  }

  private bits(): Uint8Array {
    return existsSync(this.donePath) ? new Uint8Array(readFileSync(this.donePath)) : new Uint8Array(0);
  }

  doneCount(): number {
    const b = this.bits();
    let c = 0;
    for (let i = 0; i < this.hi - this.lo; i++) if ((b[i >> 3] ?? 0) & (1 << (i & 7))) c++;
    return c;
  }

  /** object indices of this shard without a vector yet, ascending */
  missing(limit = Infinity): number[] {
    const b = this.bits(),
      out: number[] = [];
    for (let i = 0; i < this.hi - this.lo && out.length < limit; i++) if (!((b[i >> 3] ?? 0) & (1 << (i & 7)))) out.push(this.lo + i);
    return out;
  }

  /** rows `idxs` (object indices inside the shard), durable before they are marked done */
  write(idxs: ArrayLike<number>, data: Float32Array): void {
    const dim = this.meta.dim,
      rowBytes = dim * 4;
    if (data.length !== idxs.length * dim)
      throw new AppError('BAD_INPUT', `shard ${this.meta.k}/${this.meta.n}: ${data.length} values for ${idxs.length} rows of dim ${dim}`);
    const need = EMB_HEADER_BYTES + (this.hi - this.lo) * rowBytes;
    if (fstatSync(this.fd).size < need) ftruncateSync(this.fd, need);
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    for (let i = 0; i < idxs.length; i++) {
      const idx = idxs[i];
      if (!Number.isInteger(idx) || idx < this.lo || idx >= this.hi)
        throw new AppError('BAD_INPUT', `shard ${this.meta.k}/${this.meta.n} holds rows ${this.lo}..${this.hi - 1}, not ${idx}`);
      if (!data.subarray(i * dim, (i + 1) * dim).every(Number.isFinite)) throw new AppError('BAD_INPUT', `non-finite value in row for object ${idx}`);
      writeAllAt(this.fd, bytes.subarray(i * rowBytes, (i + 1) * rowBytes), EMB_HEADER_BYTES + (idx - this.lo) * rowBytes);
    }
    fsyncSync(this.fd);
    persistDoneBits(this.donePath, this.bits(), idxs, this.lo);
  }

  /** forget every row (embed --force) */
  reset(): void {
    writeFileAtomic(this.donePath, new Uint8Array(Math.ceil((this.hi - this.lo) / 8)));
  }

  /** rows [lo+start, lo+start+count) of the shard as float32 */
  readRows(start: number, count: number): Float32Array {
    const dim = this.meta.dim;
    const out = new Float32Array(count * dim);
    const bytes = new Uint8Array(out.buffer);
    let got = 0;
    while (got < bytes.length) {
      const n = readSync(this.fd, bytes, got, bytes.length - got, EMB_HEADER_BYTES + start * dim * 4 + got);
      if (n === 0) throw new AppError('WORKSPACE_INVALID', `${this.path} is truncated`);
      got += n;
    }
    return out;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  /** the shards planned for a model: { n, metas } (every K-of-N.json in its shards folder) */
  static list(wsDir: string, modelKey: string): ShardMeta[] {
    const dir = shardDir(wsDir, modelKey);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((f) => /^\d+-of-\d+\.json$/.test(f))
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ShardMeta)
      .sort((a, b) => a.n - b.n || a.k - b.k);
  }

  /** opens an existing shard for reading (merge) */
  static openExisting(wsDir: string, meta: ShardMeta): ShardMatrix {
    const p = `${base(shardDir(wsDir, meta.modelKey), meta)}.f32`;
    if (!existsSync(p)) throw new AppError('WORKSPACE_INVALID', `shard ${meta.k}/${meta.n}: ${p} is missing`);
    const h = readHeader(p);
    if (h.dim !== meta.dim) throw new AppError('WORKSPACE_INVALID', `${p}: dim ${h.dim}, its plan says ${meta.dim}`);
    return new ShardMatrix(meta, p);
  }
}
