/** Durable file operations for the workspace (fsync, atomic replace, sizes). */
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '@app/core/errors';
import { writeFileAtomicSync } from './atomic-file';

/** fsync a directory so that a created/renamed entry in it survives a crash (no-op where unsupported). */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open or fsync directories; NTFS journals the rename itself
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Replace `path` with `data` atomically: write a temp file, fsync, rename over, fsync the directory. */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  try {
    writeFileAtomicSync(path, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncDir(dirname(path));
  } catch (e) {
    throw new AppError('IO', `cannot write ${path}: ${(e as Error).message}`);
  }
}

/** Write all of `buf` at `position` (pwrite loop). */
export function writeAllAt(fd: number, buf: Uint8Array, position: number): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off, position + off);
}

/** Total bytes of the files under `path` (0 when missing). */
export function diskUsage(path: string): number {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.size;
  let sum = 0;
  for (const name of readdirSync(path)) sum += diskUsage(join(path, name));
  return sum;
}

/** Removes temp files of atomic writes (name.partial-PID-N, or the older name.tmp-PID) in `dirs` whose process is gone. */
export function removeStaleTemps(dirs: string[]): void {
  for (const d of dirs) {
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d)) {
      const m = /\.(?:tmp|partial)-(\d+)(?:-\d+)?$/.exec(f);
      if (!m || Number(m[1]) === process.pid) continue;
      try {
        process.kill(Number(m[1]), 0); // still running: another process is mid-write
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(d, f), { force: true });
      }
    }
  }
}

/**
 * Sets the bits of `rows` (minus `offset`) in the done-bitmap `bits` and writes the bytes that changed
 * to `path` durably (pwrite of that byte range, fsync). The caller serialises concurrent writers.
 */
export function persistDoneBits(path: string, bits: Uint8Array, rows: ArrayLike<number>, offset = 0): void {
  let lo = Infinity,
    hi = -1;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] - offset,
      x = r >> 3;
    bits[x] |= 1 << (r & 7);
    lo = Math.min(lo, x);
    hi = Math.max(hi, x);
  }
  if (hi < 0) return;
  const fd = openSync(path, 'r+');
  try {
    writeAllAt(fd, bits.subarray(lo, hi + 1), lo);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
