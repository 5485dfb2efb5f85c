/**
 * WS/cutouts/shard-NNNNN.bin: fixed-size records, one per object, in idx
 * order, `shardRecords` per file. A record is C x H x W pixels, band-major,
 * row 0 at the bottom (the Cutout layout), stored as f16 / f32 / u8 little
 * endian. Records are written (and fsync'ed) BEFORE the catalogue transaction
 * that makes the objects visible; bytes past the committed count are junk
 * from an interrupted write and are truncated by the next writer.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readdirSync, readSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '@app/core/errors';
import type { Cutout } from '@app/domain/cutout';
import { decodeF16, encodeF16 } from './float16';
import { fsyncDir, writeAllAt } from './fsutil';
import { bytesPerPixel, type CutoutSpec } from './manifest';

const SHARD_RE = /^shard-(\d{5})\.bin$/;

export class CutoutStore {
  readonly pixels: number;
  readonly recordBytes: number;
  private readonly fds = new Map<number, number>();

  constructor(
    readonly dir: string,
    readonly spec: CutoutSpec,
    private readonly readonly: boolean,
  ) {
    this.pixels = spec.bands.length * spec.size * spec.size;
    this.recordBytes = this.pixels * bytesPerPixel(spec.dtype);
  }

  shardPath(shard: number): string {
    return join(this.dir, `shard-${String(shard).padStart(5, '0')}.bin`);
  }

  private fd(shard: number, create: boolean): number | undefined {
    let fd = this.fds.get(shard);
    if (fd !== undefined) return fd;
    const p = this.shardPath(shard);
    if (!existsSync(p)) {
      if (!create) return undefined;
      fd = openSync(p, 'w+');
      fsyncDir(this.dir);
    } else fd = openSync(p, this.readonly ? 'r' : 'r+');
    this.fds.set(shard, fd);
    return fd;
  }

  /** Pixels of `cutouts` in the storage dtype, one record after another. */
  encode(cutouts: Cutout[]): Uint8Array {
    const n = cutouts.length * this.pixels;
    const { dtype } = this.spec;
    if (dtype === 'f16') {
      const out = new Uint16Array(n);
      cutouts.forEach((c, i) => encodeF16(c.data, out.subarray(i * this.pixels, (i + 1) * this.pixels)));
      return new Uint8Array(out.buffer);
    }
    if (dtype === 'f32') {
      const out = new Float32Array(n);
      cutouts.forEach((c, i) => out.set(c.data, i * this.pixels));
      return new Uint8Array(out.buffer);
    }
    const out = new Uint8ClampedArray(n); // rounds and clamps to 0..255, NaN -> 0
    cutouts.forEach((c, i) => out.set(c.data, i * this.pixels));
    return new Uint8Array(out.buffer);
  }

  /** Writes encoded records for idx start.. and fsyncs every touched shard. */
  write(start: number, bytes: Uint8Array): void {
    const count = bytes.length / this.recordBytes;
    const per = this.spec.shardRecords;
    const touched = new Set<number>();
    let i = 0;
    while (i < count) {
      const idx = start + i;
      const shard = Math.floor(idx / per);
      const inShard = Math.min(count - i, per - (idx % per));
      const fd = this.fd(shard, true)!;
      writeAllAt(fd, bytes.subarray(i * this.recordBytes, (i + inShard) * this.recordBytes), (idx % per) * this.recordBytes);
      touched.add(shard);
      i += inShard;
    }
    for (const s of touched) fsyncSync(this.fds.get(s)!);
  }

  /** Raw stored bytes of records start..start+count-1. */
  readRaw(start: number, count: number): Uint8Array {
    const out = new Uint8Array(count * this.recordBytes);
    const per = this.spec.shardRecords;
    let i = 0;
    while (i < count) {
      const idx = start + i;
      const shard = Math.floor(idx / per);
      const inShard = Math.min(count - i, per - (idx % per));
      const fd = this.fd(shard, false);
      if (fd === undefined) throw new AppError('WORKSPACE_INVALID', `${this.shardPath(shard)} is missing (cutout ${idx})`);
      const want = inShard * this.recordBytes;
      let got = 0;
      while (got < want) {
        const n = readSync(fd, out, i * this.recordBytes + got, want - got, (idx % per) * this.recordBytes + got);
        if (n === 0) throw new AppError('WORKSPACE_INVALID', `${this.shardPath(shard)} is truncated (cutout ${idx + Math.floor(got / this.recordBytes)})`);
        got += n;
      }
      i += inShard;
    }
    return out;
  }

  /** Records start..start+count-1 as float32, count x C x H x W. */
  readBlock(start: number, count: number): Float32Array {
    const raw = this.readRaw(start, count);
    const { dtype } = this.spec;
    if (dtype === 'f32') return new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
    const out = new Float32Array(count * this.pixels);
    if (dtype === 'f16') decodeF16(new Uint16Array(raw.buffer, raw.byteOffset, raw.length / 2), out);
    else out.set(raw);
    return out;
  }

  private shards(): number[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .flatMap((f) => {
        const m = SHARD_RE.exec(f);
        return m ? [Number(m[1])] : [];
      })
      .sort((a, b) => a - b);
  }

  /** Throws WORKSPACE_INVALID when the shards hold fewer than `count` records. */
  checkHolds(count: number): void {
    const per = this.spec.shardRecords;
    const last = count > 0 ? Math.floor((count - 1) / per) : -1;
    for (let s = 0; s <= last; s++) {
      const need = (s < last ? per : count - s * per) * this.recordBytes;
      const fd = this.fd(s, false);
      const have = fd === undefined ? 0 : fstatSync(fd).size;
      if (have < need)
        throw new AppError(
          'WORKSPACE_INVALID',
          `${this.shardPath(s)} is truncated: holds ${Math.floor(have / this.recordBytes)} of ${need / this.recordBytes} cutouts the catalogue lists`,
        );
    }
  }

  /** Drops bytes past record `count` (left by a write that never committed). Call holding the write lock. */
  truncateTo(count: number): void {
    const per = this.spec.shardRecords;
    for (const s of this.shards()) {
      const keep = Math.max(0, Math.min(per, count - s * per)) * this.recordBytes;
      if (keep === 0 && s * per >= count && s > 0) {
        const fd = this.fds.get(s);
        if (fd !== undefined) {
          closeSync(fd);
          this.fds.delete(s);
        }
        unlinkSync(this.shardPath(s));
        continue;
      }
      const fd = this.fd(s, false)!;
      if (fstatSync(fd).size > keep) {
        ftruncateSync(fd, keep);
        fsyncSync(fd);
      }
    }
  }

  bytesOnDisk(): number {
    return this.shards().reduce((sum, s) => {
      const fd = this.fd(s, false);
      return sum + (fd === undefined ? 0 : fstatSync(fd).size);
    }, 0);
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}
