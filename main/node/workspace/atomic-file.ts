/**
 * Files that are either complete or absent: temp file + fsync + rename, and
 * cleanup of temps a crash left behind. The one atomic writer (sync and
 * async); fsutil.writeFileAtomic adds the directory fsync and an IO AppError.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const TEMP_MARK = '.partial-';
let counter = 0;

export function writeFileAtomicSync(path: string, data: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}${TEMP_MARK}${process.pid}-${counter++}`;
  const fd = openSync(tmp, 'w');
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
}

/** The same without blocking the event loop (downloads keep flowing while a file is fsync'ed). */
export async function writeFileAtomicAsync(path: string, data: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}${TEMP_MARK}${process.pid}-${counter++}`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await rm(tmp, { force: true });
    throw e;
  }
  await fh.close();
  await rename(tmp, path);
}

export function isTempFile(name: string): boolean {
  return name.includes(TEMP_MARK);
}

/** Remove temp files older than `minAgeMs` under dir (recursive); returns how many. */
export function removeStaleTemps(dir: string, minAgeMs = 0): number {
  let n = 0;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return 0;
  }
  const now = Date.now();
  for (const name of entries) {
    const p = join(dir, name);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) n += removeStaleTemps(p, minAgeMs);
    else if (isTempFile(name) && now - st.mtimeMs >= minAgeMs) {
      rmSync(p, { force: true });
      n++;
    }
  }
  return n;
}
