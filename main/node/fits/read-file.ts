/**
 * FITS files on disk: reads the whole file and parses it with app/fits
 * readFits, naming the file in every error. ENOENT → NOT_FOUND, other
 * file-system failures (EACCES, EISDIR, …) → IO.
 */
import { readFile } from 'node:fs/promises';
import { AppError } from '@app/core/errors';
import { readFits, type FitsFile, type ReadFitsOptions } from '@app/fits/index';

export async function readFitsFile(path: string, opts: Omit<ReadFitsOptions, 'name'> = {}): Promise<FitsFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new AppError('NOT_FOUND', `${path}: no such file`);
    throw new AppError('IO', `${path}: cannot read (${err.code ?? err.message})`);
  }
  return readFits(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { ...opts, name: path });
}
