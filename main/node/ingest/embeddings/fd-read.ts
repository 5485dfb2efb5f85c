/** Positional reads of a whole byte range from a file descriptor (short reads repeated). */
import { readSync } from 'node:fs';
import { AppError } from '@app/core/errors';

export function readExact(fd: number, length: number, position: number, what: string): Uint8Array {
  const out = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, out, got, length - got, position + got);
    if (n === 0) throw new AppError('BAD_INPUT', `${what}: the file ends at byte ${position + got}, expected ${position + length} (truncated)`);
    got += n;
  }
  return out;
}
