/**
 * Opening an HDF5 file with h5wasm so that it can only ever read itself.
 * HDF5 can point a dataset at other files — external storage (raw bytes of
 * any file, `/etc/passwd` included), virtual datasets and external links —
 * and h5wasm's Node build reaches the whole real file system. Two guards:
 *  - a gate on the WebAssembly file system's `open`: while files are open
 *    through here, only those files may be opened; any other path is refused
 *    and remembered (the library then reads garbage instead of failing, so
 *    every read goes through `guarded`, which turns a refusal into an error);
 *  - the layout's datasets are inspected: virtual sources in another file and
 *    external links are refused by name before anything is read.
 */
import { closeSync, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '@app/core/errors';
import type { H5Source } from './layout';

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** The HDF5 signature sits at byte 0 or after a user block (512, 1024, 2048, ... bytes). */
function looksLikeHdf5(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new AppError('NOT_FOUND', `${path}: cannot open (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(8);
    for (let at = 0; at + 8 <= size; at = at === 0 ? 512 : at * 2) {
      readSync(fd, buf, 0, 8, at);
      if (SIGNATURE.every((b, i) => buf[i] === b)) return true;
    }
    return false;
  } finally {
    closeSync(fd);
  }
}

const allowed = new Map<string, number>();
const refused: string[] = [];
let gateInstalled = false;

function canonical(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

type WasmFs = { open: (path: unknown, flags: unknown, mode?: unknown) => unknown; ErrnoError: new (errno: number) => Error };

type H5Module = typeof import('h5wasm/node');
let lib: Promise<H5Module> | null = null;
/** h5wasm, loaded on first use: its WebAssembly start-up is not paid by commands that never read HDF5 */
const h5wasmModule = (): Promise<H5Module> => (lib ??= import('h5wasm/node'));

function installGate(H5: H5Module): void {
  if (gateInstalled) return;
  const fs = (H5 as unknown as { FS: WasmFs | null }).FS;
  if (!fs) throw new AppError('INTERNAL', 'h5wasm has no file system to guard');
  const open = fs.open;
  fs.open = function gatedOpen(this: unknown, path: unknown, flags: unknown, mode?: unknown) {
    const p = typeof path === 'string' ? canonical(path) : String(path);
    if (!allowed.has(p)) {
      refused.push(typeof path === 'string' ? path : String(path));
      throw new fs.ErrnoError(2); // EACCES in emscripten's numbering
    }
    return open.call(this, path, flags, mode);
  };
  gateInstalled = true;
}

export type H5File = H5Source & { close(): void };

/** Open `path` read-only with the gate armed for it. */
export async function openH5(path: string): Promise<H5File> {
  if (!looksLikeHdf5(path)) throw new AppError('BAD_INPUT', `${path}: not a readable HDF5 file (no HDF5 signature)`);
  const H5 = await h5wasmModule();
  await H5.default.ready;
  installGate(H5);
  const key = canonical(path);
  allowed.set(key, (allowed.get(key) ?? 0) + 1);
  const release = () => {
    const n = (allowed.get(key) ?? 1) - 1;
    if (n <= 0) allowed.delete(key);
    else allowed.set(key, n);
  };
  let file: H5File;
  try {
    file = guarded(path, 'the file', () => new H5.default.File(path, 'r') as unknown as H5File);
  } catch (e) {
    release();
    throw e instanceof AppError ? e : new AppError('BAD_INPUT', `${path}: not a readable HDF5 file (${(e as Error)?.message ?? String(e)})`);
  }
  const close = file.close.bind(file);
  let closed = false;
  file.close = () => {
    if (closed) return;
    closed = true;
    try {
      close();
    } finally {
      release();
    }
  };
  return file;
}

/** Runs a read; a file outside the opened ones that the library tried to open makes it an error. */
export function guarded<T>(path: string, what: string, read: () => T): T {
  const before = refused.length;
  const out = read();
  if (refused.length > before) {
    const other = refused.splice(before)[0];
    // the library looks in its own (WebAssembly) plugin folder for a filter it does not know, or for
    // another file driver when the file cannot be opened at all; plugins are never loaded
    if (/\/plugin\/?$/.test(other)) {
      throw new AppError(
        'BAD_INPUT',
        what === 'the file'
          ? `${path}: not a readable HDF5 file (the HDF5 library cannot open it)`
          : `${path}: ${what} uses an HDF5 filter that is not built in (filter plugins are not loaded)`,
      );
    }
    throw new AppError(
      'BAD_INPUT',
      `${path}: ${what} reads from another file (${other}) through HDF5 external storage or links; only data inside the file is imported`,
    );
  }
  return out;
}

/** Refuses external links and virtual datasets whose data lives in another file, by what their metadata says; other objects (groups, ...) are left to the layout. */
export function checkInsideFile(f: H5Source, path: string, keys: string[]): void {
  for (const k of keys) {
    const d = f.get(k) as unknown as {
      constructor?: { name?: string };
      metadata?: { virtual_sources?: { file_name: string; dset_name: string }[] };
      filename?: string;
    } | null;
    if (d?.constructor?.name === 'ExternalLink')
      throw new AppError(
        'BAD_INPUT',
        `${path}: '${k}' is a link to another file${d.filename ? ` (${d.filename})` : ''}; links out of ` + `the file are not followed`,
      );
    const outside = (d?.metadata?.virtual_sources ?? []).find((s) => s.file_name !== '.');
    if (outside)
      throw new AppError('BAD_INPUT', `${path}: dataset '${k}' is virtual, with data in ${outside.file_name}; only data inside the file is imported`);
  }
}
